/** The cheap text tests run before any parsing (kept dependency-free: the transforms import it). */

/** Cheap text test: files that never mention OpenAI are not parsed at all. */
export const PREFILTER = /openai/i;

/**
 * scan also looks at files that call an OpenAI-shaped API on a client built elsewhere
 * (a factory in another module): the type checker decides what the receiver is.
 */
export const SCAN_PREFILTER = /openai|\.chat\.completions\.|\.(embeddings|moderations|responses|batches|fineTuning|fine_tuning)\.[a-z]|\.beta\.(assistants|threads|vectorStores)|\.audio\.(transcriptions|translations|speech)|\.images\.(generate|edit)|\.files\.(create|list|retrieve|del|content)\(/i;
