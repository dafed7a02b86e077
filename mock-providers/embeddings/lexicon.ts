/**
 * The small lexicon behind the mock embeddings: words that say nothing about intent (dropped from
 * the topic), synonyms folded to one concept (paraphrases meet), polar words (a concept with a
 * sign: "on"/"off", "enable"/"disable", "increase"/"decrease") and negators that flip the sign of
 * what follows. Curated for the kinds of requests a gateway's semantic cache sees (assistants,
 * support, smart home, search), not a linguistic resource.
 */

/** Contractions expanded before tokenising (so "don't" carries a "not"). */
export const CONTRACTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bwon't\b/g, 'will not'],
  [/\bcan't\b/g, 'can not'],
  [/\bcannot\b/g, 'can not'],
  [/\bshan't\b/g, 'shall not'],
  [/n't\b/g, ' not'],
  [/'re\b/g, ' are'],
  [/'m\b/g, ' am'],
  [/'ll\b/g, ' will'],
  [/'ve\b/g, ' have'],
  [/'d\b/g, ' would'],
  [/'s\b/g, ''],
];

export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the this that these those it its i me my mine we us our you your yours he she they them their ' +
    'is are was were be been being am do does did doing have has had having will would shall should can could may might must ' +
    'please kindly pls plz just now right really very quite some any all of for to from at by with in into onto about as ' +
    'and or but so then than there here hey hi hello ok okay thanks thank tell show give let want wanna need like would ' +
    'know help me mind possible go going gonna get got make sure also again currently today ' +
    'what whats which who whom whose how why when way'
  ).split(' '),
);

/** Negators: flip the sign of the next polar word within NEGATION_WINDOW tokens, else mark the text negated. */
export const NEGATORS: ReadonlySet<string> = new Set(['not', 'no', 'never', 'without', 'nor', 'neither', 'none', 'nothing']);
export const NEGATION_WINDOW = 4;

/** Synonym groups: every word → the group's first word (its concept). */
const SYNONYMS: readonly string[] = [
  'turn switch flip toggle power',
  'light lights lamp lamps lighting bulb bulbs',
  'weather forecast',
  'temperature temp thermostat',
  'music song songs track tracks playlist',
  'volume sound loudness',
  'door doors gate',
  'alarm alarms',
  'timer timers countdown',
  'reminder reminders remind',
  'order orders purchase purchases',
  'subscription subscriptions plan membership',
  'cancel cancellation terminate',
  'refund refunds reimburse reimbursement money-back',
  'password passcode pwd',
  'reset recover forgot forget forgotten',
  'account profile',
  'login log-in signin sign-in',
  'email e-mail mail',
  'price prices cost costs pricing fee fees charge charges',
  'invoice invoices bill bills billing receipt',
  'ship shipping delivery deliver delivered shipment',
  'track tracking status where',
  'book booking reserve reservation reservations',
  'flight flights plane',
  'hotel hotels room rooms',
  'restaurant restaurants',
  'meeting meetings appointment appointments call',
  'schedule calendar',
  'summarize summarise summary tldr',
  'translate translation',
  'explain describe',
  'write compose draft',
  'fix repair debug',
  'error errors bug bugs issue issues problem problems',
  'fast quick quickly rapid',
  'car vehicle auto',
  'big large huge',
  'small little tiny',
  'city town',
  'phone mobile cellphone smartphone',
  'computer laptop pc',
  'kitchen',
  'bedroom',
  'tomorrow',
  'capital',
];

/** Polar pairs: [positive words, negative words, concept]. The words of both sides share the concept (the topic); the side is the sign. */
const POLAR: ReadonlyArray<readonly [string, string, string]> = [
  ['on', 'off', 'power'],
  ['enable enabled activate activated start started begin resume', 'disable disabled deactivate deactivated stop stopped end pause halt', 'active'],
  ['up raise increase increased higher louder brighter boost more', 'down lower decrease decreased reduce reduced quieter dimmer dim less', 'level'],
  ['open opened unlock unlocked', 'close closed shut lock locked', 'open'],
  ['allow allowed permit accept accepted approve approved', 'deny denied block blocked reject rejected decline declined refuse', 'permit'],
  ['add added include included insert create', 'remove removed delete deleted exclude excluded erase drop', 'add'],
  ['subscribe subscribed join', 'unsubscribe unsubscribed leave', 'subscribe'],
  ['connect connected', 'disconnect disconnected', 'connect'],
  ['mute muted silence', 'unmute unmuted', 'mute'],
  ['sell sold', 'buy bought', 'trade'],
  ['hot warm warmer hotter heat', 'cold cool cooler colder', 'heat'],
  ['good great nice excellent positive', 'bad poor terrible awful negative', 'quality'],
  ['happy glad pleased', 'sad unhappy upset', 'mood'],
  ['love loves', 'hate hates dislike dislikes', 'affect'],
  ['true correct', 'false incorrect wrong', 'truth'],
  ['yes yeah', 'nope nah', 'answer'],
  ['before earlier', 'after later', 'order-in-time'],
  ['win won', 'lose lost', 'outcome'],
  ['agree', 'disagree', 'agreement'],
  ['show visible', 'hide hidden', 'visible'],
  ['upload', 'download', 'transfer'],
  ['import', 'export', 'port'],
  ['arrive arrival', 'depart departure', 'travel-time'],
  ['maximum max', 'minimum min', 'extreme'],
];

/**
 * Particles are polar only after a verb that takes them ("turn the lights on", "switch off"); elsewhere
 * ("the weather on Monday") they are stopwords.
 */
export const PARTICLES: ReadonlySet<string> = new Set(['on', 'off', 'up', 'down']);
export const PARTICLE_VERBS: ReadonlySet<string> = new Set(['turn', 'switch', 'flip', 'toggle', 'power', 'put', 'shut', 'set', 'log', 'sign', 'speed', 'slow', 'crank', 'dial', 'keep', 'leave', 'bring', 'pick', 'level']);

export interface PolarWord {
  concept: string;
  sign: 1 | -1;
}

export const CONCEPT = new Map<string, string>();
for (const group of SYNONYMS) {
  const words = group.split(' ');
  for (const w of words) CONCEPT.set(w, words[0]!);
}

export const POLARITY = new Map<string, PolarWord>();
for (const [pos, neg, concept] of POLAR) {
  for (const w of pos.split(' ')) POLARITY.set(w, { concept, sign: 1 });
  for (const w of neg.split(' ')) POLARITY.set(w, { concept, sign: -1 });
}
