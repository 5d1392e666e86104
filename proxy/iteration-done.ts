/** The end of an iteration, shared by the async iterators written by hand on the streaming path. */
export const DONE: IteratorResult<never> = Object.freeze({ value: undefined, done: true });
