/**
 * Word lists the fact checks rely on: stop words, negation cues, antonym pairs, number
 * words and units. English only: other languages fall back to similarity and the judge.
 */

export const STOPWORDS = new Set(
  (
    'a an and are as at be been being but by can could did do does doing for from had has have having he her here hers him his how i if in ' +
    'into is it its itself me my of on or our ours she should so than that the their theirs them then there these they this those to too ' +
    'us was we were what when where which while who whom why will with would you your yours about also any all some more most very just ' +
    'each such own same other only both either again further once per via up out off over under yet s t d ll re ve m'
  ).split(' '),
);

/** Words that negate the clause they are in. `no` at the start of an answer is an interjection (see `leadingAnswer`). */
export const NEGATORS = new Set([
  'not', 'no', 'never', 'none', 'nobody', 'nothing', 'nowhere', 'neither', 'nor', 'cannot', 'cant', 'without', 'unable', 'lacks', 'lack', 'lacking',
  'dont', 'doesnt', 'didnt', 'isnt', 'arent', 'wasnt', 'werent', 'wont', 'wouldnt', 'shouldnt', 'couldnt', 'hasnt', 'havent', 'hadnt', 'mustnt', 'neednt',
]);

/**
 * Verbs that negate what follows — "avoid committing it" = "don't commit it", "refuses to
 * overwrite" = "won't overwrite" — but that English also paraphrases without any cue ("keeps
 * you from running out", "stops it from forming"). So they count only against a clause that
 * has a negation cue itself: they cancel a "don't", they never flip a plain clause alone.
 */
export const SOFT_NEGATORS = new Set([
  'avoid', 'avoids', 'avoided', 'avoiding', 'prevent', 'prevents', 'prevented', 'preventing', 'refuse', 'refuses', 'refused', 'refrain', 'refrains',
  // "excluded from the discount" = "the discount does not apply"; "arrived missing its poles" = "without poles".
  'exclude', 'excludes', 'excluded', 'excluding', 'missing',
]);

/**
 * Pairs of opposites: a sentence that says one where the other says the opposite has
 * flipped (unless a negation flips it back). Each entry lists word forms of both poles.
 */
export const ANTONYMS: Array<[string[], string[]]> = [
  [['increase', 'increased', 'increases', 'increasing', 'rise', 'rises', 'rose', 'risen', 'rising', 'grew', 'grow', 'grows', 'growing', 'gain', 'gained', 'gains'], ['decrease', 'decreased', 'decreases', 'decreasing', 'fall', 'falls', 'fell', 'fallen', 'falling', 'drop', 'dropped', 'drops', 'declined', 'decline', 'declines', 'shrank', 'shrink', 'shrinks', 'lost']],
  [['higher', 'above'], ['lower', 'below']],
  [['more', 'greater'], ['less', 'fewer']],
  [['larger', 'bigger'], ['smaller']],
  [['faster', 'quicker', 'sooner'], ['slower', 'later']],
  [['stronger', 'strongest'], ['weaker', 'weakest']],
  [['better', 'best'], ['worse', 'worst']],
  [['longer', 'longest'], ['shorter', 'shortest']],
  [['easier', 'easiest'], ['harder', 'hardest']],
  [['newer', 'newest', 'latest'], ['older', 'oldest']],
  [['heavier'], ['lighter']],
  [['before', 'earlier', 'prior'], ['after']],
  [['pass', 'passed', 'passes', 'passing', 'succeeded', 'succeeds', 'success', 'successful', 'successfully'], ['fail', 'failed', 'fails', 'failing', 'failure']],
  [['true', 'correct', 'right', 'valid'], ['false', 'wrong']],
  [['allowed', 'allow', 'allows', 'permitted', 'permit', 'permits'], ['forbidden', 'prohibited', 'blocked', 'block', 'blocks', 'denied', 'deny', 'denies']],
  [['accept', 'accepted', 'accepts', 'approve', 'approved', 'approves'], ['reject', 'rejected', 'rejects', 'decline', 'declined']],
  [['enable', 'enabled', 'enables'], ['disable', 'disabled', 'disables']],
  [['include', 'included', 'includes', 'including'], ['exclude', 'excluded', 'excludes', 'excluding']],
  [['safe', 'secure'], ['dangerous', 'vulnerable']],
  [['open', 'opened', 'opens'], ['closed', 'close', 'closes', 'shut']],
  [['online'], ['offline']],
  [['required', 'mandatory'], ['optional']],
  [['cheaper', 'cheap', 'cheapest', 'inexpensive'], ['expensive', 'pricier', 'costlier']],
  [['positive'], ['negative']],
  [['profit', 'profits'], ['loss', 'losses']],
  [['win', 'won', 'wins'], ['lose', 'loses']],
  [['same', 'identical'], ['different']],
  [['buy', 'bought'], ['sell', 'sold']],
  [['ahead'], ['behind']],
  [['north'], ['south']],
  [['east'], ['west']],
  [['minimum', 'min', 'least'], ['maximum', 'max']],
  [['add', 'added', 'adds'], ['remove', 'removed', 'removes', 'delete', 'deleted', 'deletes']],
];

const POLE = new Map<string, { pair: number; pole: 0 | 1 }>();
ANTONYMS.forEach(([a, b], pair) => {
  for (const w of a) if (!POLE.has(w)) POLE.set(w, { pair, pole: 0 });
  for (const w of b) if (!POLE.has(w)) POLE.set(w, { pair, pole: 1 });
});

export function antonymPole(word: string): { pair: number; pole: 0 | 1 } | undefined {
  return POLE.get(word);
}

export const NUMBER_WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30,
  forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100, dozen: 12, half: 0.5, once: 1, twice: 2,
  single: 1, double: 2, triple: 3, quarter: 0.25,
};

export const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6, jul: 7, july: 7,
  aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
};

export const WEEKDAYS = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);

/** Unit → dimension and factor to the dimension's base unit. */
export const UNITS: Record<string, { dim: string; factor: number }> = {
  '%': { dim: 'percent', factor: 1 }, percent: { dim: 'percent', factor: 1 }, pct: { dim: 'percent', factor: 1 }, 'per cent': { dim: 'percent', factor: 1 },
  'percentage points': { dim: 'pp', factor: 1 }, 'percentage point': { dim: 'pp', factor: 1 }, pp: { dim: 'pp', factor: 1 },
  ms: { dim: 'time', factor: 0.001 }, millisecond: { dim: 'time', factor: 0.001 }, milliseconds: { dim: 'time', factor: 0.001 },
  s: { dim: 'time', factor: 1 }, sec: { dim: 'time', factor: 1 }, secs: { dim: 'time', factor: 1 }, second: { dim: 'time', factor: 1 }, seconds: { dim: 'time', factor: 1 },
  min: { dim: 'time', factor: 60 }, mins: { dim: 'time', factor: 60 }, minute: { dim: 'time', factor: 60 }, minutes: { dim: 'time', factor: 60 },
  h: { dim: 'time', factor: 3600 }, hr: { dim: 'time', factor: 3600 }, hrs: { dim: 'time', factor: 3600 }, hour: { dim: 'time', factor: 3600 }, hours: { dim: 'time', factor: 3600 },
  day: { dim: 'time', factor: 86400 }, days: { dim: 'time', factor: 86400 }, week: { dim: 'time', factor: 604800 }, weeks: { dim: 'time', factor: 604800 },
  month: { dim: 'months', factor: 1 }, months: { dim: 'months', factor: 1 }, year: { dim: 'months', factor: 12 }, years: { dim: 'months', factor: 12 },
  b: { dim: 'bytes', factor: 1 }, byte: { dim: 'bytes', factor: 1 }, bytes: { dim: 'bytes', factor: 1 },
  kb: { dim: 'bytes', factor: 1e3 }, mb: { dim: 'bytes', factor: 1e6 }, gb: { dim: 'bytes', factor: 1e9 }, tb: { dim: 'bytes', factor: 1e12 },
  kib: { dim: 'bytes', factor: 1024 }, mib: { dim: 'bytes', factor: 1024 ** 2 }, gib: { dim: 'bytes', factor: 1024 ** 3 }, tib: { dim: 'bytes', factor: 1024 ** 4 },
  mg: { dim: 'mass', factor: 0.001 }, g: { dim: 'mass', factor: 1 }, gram: { dim: 'mass', factor: 1 }, grams: { dim: 'mass', factor: 1 }, kg: { dim: 'mass', factor: 1000 },
  kilogram: { dim: 'mass', factor: 1000 }, kilograms: { dim: 'mass', factor: 1000 }, lb: { dim: 'mass', factor: 453.59237 }, lbs: { dim: 'mass', factor: 453.59237 }, pounds: { dim: 'mass-or-gbp', factor: 1 },
  mm: { dim: 'length', factor: 0.001 }, cm: { dim: 'length', factor: 0.01 }, m: { dim: 'length', factor: 1 }, metre: { dim: 'length', factor: 1 }, metres: { dim: 'length', factor: 1 },
  meter: { dim: 'length', factor: 1 }, meters: { dim: 'length', factor: 1 }, km: { dim: 'length', factor: 1000 }, kilometres: { dim: 'length', factor: 1000 }, kilometers: { dim: 'length', factor: 1000 },
  mi: { dim: 'length', factor: 1609.344 }, mile: { dim: 'length', factor: 1609.344 }, miles: { dim: 'length', factor: 1609.344 },
  '°c': { dim: 'celsius', factor: 1 }, c: { dim: 'celsius', factor: 1 }, celsius: { dim: 'celsius', factor: 1 }, '°f': { dim: 'fahrenheit', factor: 1 }, f: { dim: 'fahrenheit', factor: 1 }, fahrenheit: { dim: 'fahrenheit', factor: 1 },
  x: { dim: 'times', factor: 1 }, '×': { dim: 'times', factor: 1 }, times: { dim: 'times', factor: 1 },
  usd: { dim: 'usd', factor: 1 }, dollar: { dim: 'usd', factor: 1 }, dollars: { dim: 'usd', factor: 1 }, eur: { dim: 'eur', factor: 1 }, euro: { dim: 'eur', factor: 1 }, euros: { dim: 'eur', factor: 1 },
  gbp: { dim: 'gbp', factor: 1 }, jpy: { dim: 'jpy', factor: 1 }, yen: { dim: 'jpy', factor: 1 }, chf: { dim: 'chf', factor: 1 }, cad: { dim: 'cad', factor: 1 }, aud: { dim: 'aud', factor: 1 },
  cents: { dim: 'usd', factor: 0.01 },
};

export const CURRENCY_SYMBOLS: Record<string, string> = { $: 'usd', 'us$': 'usd', '€': 'eur', '£': 'gbp', '¥': 'jpy' };

export const SCALES: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, mm: 1e6, mn: 1e6, million: 1e6, millions: 1e6, b: 1e9, bn: 1e9, billion: 1e9, billions: 1e9, t: 1e12, tn: 1e12, trillion: 1e12 };

/** Light stemmer: enough to match "drops"/"dropped"/"dropping" and "queries"/"query". */
export function stem(w: string): string {
  let s = w.toLowerCase();
  if (s.length > 5 && s.endsWith('ing')) s = s.slice(0, -3);
  else if (s.length > 4 && s.endsWith('ied')) s = `${s.slice(0, -3)}y`;
  else if (s.length > 4 && s.endsWith('ed')) s = s.slice(0, -2);
  else if (s.length > 4 && s.endsWith('ies')) s = `${s.slice(0, -3)}y`;
  else if (s.length > 3 && s.endsWith('es') && /(ch|sh|x|ss|z)es$/.test(s)) s = s.slice(0, -2);
  else if (s.length > 3 && s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us') && !s.endsWith('is')) s = s.slice(0, -1);
  if (s.length > 3 && /(.)\1$/.test(s) && !/(ll|ss|ee|oo)$/.test(s)) s = s.slice(0, -1);
  if (s.length > 3 && s.endsWith('e')) s = s.slice(0, -1);
  return s;
}

/**
 * Common words that open sentences and headings ("Add an index", "Revenue grew"): a
 * capitalised one is grammar, not a name. Not a dictionary: names missing from it are
 * still recognised anywhere but at a sentence start.
 */
export const COMMON_WORDS = new Set(
  (
    'the a an this that these those it its if in on at for and but or to we you yes no note however also then so as when while with by ' +
    'here there what which who how why where first second third next finally overall summary answer result total step example please ' +
    'therefore thus because although though since after before during instead otherwise additionally today yesterday tomorrow now ' +
    'add use run start set check create call send keep make take try open install update delete remove enable disable move change write ' +
    'read let get put see consider avoid prefer ensure go ask configure define return returns store hash click select choose deploy test ' +
    'build restart stop upgrade rotate deactivate generate replace rename copy paste edit save load log sign follow contact visit ' +
    'root cause fix impact status incident issue problem solution action owner owners notes launch release meeting revenue latency ' +
    'response request requests error errors users customers data api apis both each every all some many most few several one two three ' +
    'connections connection threads thread processes process indexes index caching cache passwords password tips tip steps good great ' +
    'sure certainly absolutely yes okay ok hi hello dear thanks thank unfortunately generally usually typically currently just only ' +
    'common side effects prices price cost costs fee fees plan plans version versions file files config setting settings option options ' +
    'server servers service services database databases table tables query queries column columns code function functions method methods ' +
    'application applications app apps client clients system systems user customer team teams report reports review reviews'
  ).split(' '),
);

/** Foreign words → the English term they translate: rows of [english, "word word …"]. */
function translations(rows: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  return Object.fromEntries(rows.flatMap(([en, words]) => words.split(' ').map((w) => [w, en] as const)));
}

/** Month names in French, Spanish, German and Italian (those not spelt like an English word). */
const FOREIGN_MONTHS = translations([
  ['january', 'janvier enero januar gennaio'],
  ['february', 'février febrero februar febbraio'],
  ['march', 'marzo märz'],
  ['april', 'avril abril aprile'],
  ['june', 'juin junio juni giugno'],
  ['july', 'juillet julio juli luglio'],
  ['august', 'août agosto'],
  ['september', 'septembre septiembre settembre'],
  ['october', 'octobre octubre oktober ottobre'],
  ['november', 'noviembre'],
  ['december', 'décembre diciembre dezember dicembre'],
]);

/** Weekday names in French, Spanish, German and Italian. */
const FOREIGN_WEEKDAYS = translations([
  ['monday', 'lundi lunes montag lunedì'],
  ['tuesday', 'mardi martes dienstag martedì'],
  ['wednesday', 'mercredi miércoles mittwoch mercoledì'],
  ['thursday', 'jeudi jueves donnerstag giovedì'],
  ['friday', 'vendredi viernes freitag venerdì'],
  ['saturday', 'samedi sábado samstag sabato'],
  ['sunday', 'dimanche domingo sonntag domenica'],
]);

/** Mutually exclusive terms: a clause that says one where the baseline said another has changed a fact. */
const CATEGORIES: Record<string, string[]> = {
  frequency: ['hourly', 'daily', 'nightly', 'weekly', 'biweekly', 'fortnightly', 'monthly', 'quarterly', 'annually', 'yearly', 'annual'],
  // Also in French, Spanish, German and Italian: a translated answer that moves the day or the month has changed it.
  month: ['january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december', ...Object.keys(FOREIGN_MONTHS)],
  weekday: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', ...Object.keys(FOREIGN_WEEKDAYS)],
  colour: ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'violet', 'black', 'white', 'grey', 'gray', 'pink', 'brown'],
  direction: ['north', 'south', 'east', 'west', 'northeast', 'northwest', 'southeast', 'southwest'],
  severity: ['low', 'medium', 'high', 'critical'],
};
const TERM_ALIASES: Record<string, string> = { annual: 'annually', yearly: 'annually', fortnightly: 'biweekly', gray: 'grey', violet: 'purple', ...FOREIGN_MONTHS, ...FOREIGN_WEEKDAYS };
const CATEGORY_OF = new Map<string, { category: string; term: string }>();
for (const [category, terms] of Object.entries(CATEGORIES)) for (const t of terms) CATEGORY_OF.set(t, { category, term: TERM_ALIASES[t] ?? t });

export function categoryOf(word: string): { category: string; term: string } | undefined {
  return CATEGORY_OF.get(word);
}
