// @ts-check
// The voting methods, as the server defines them (convene/domain/methods: one record each),
// in the page's language: the page renders them into its <script type="application/json"
// id="methods"> block (templates/_rounds_strings.html). Every screen asks here what a method's
// ballot is and how its count is shown, instead of knowing method names itself.

/** @type {Record<string, any> | null} */
let records = null;

/**
 * A method the page was not told of: shown by its name, counted as a decision.
 * @param {string | undefined} name
 */
function unknown(name) {
  return {
    name,
    label: name,
    menu: name,
    hint: "",
    ballot: { form: "choice", key: "choice", choices: [] },
    ranked: false,
    proposal: false,
    settings: [],
    defaults: {},
    rule_sentence: "",
    proportional: false,
    exhausts: false,
    win_line: null,
    share_bars: false,
    story: "decision",
    exports: ["csv"],
  };
}

/**
 * Every method by name (read once from the page; `given` replaces them, for tests).
 * @param {Record<string, any>} [given]
 * @returns {Record<string, any>}
 */
export function methods(given) {
  if (given) records = given;
  if (!records) {
    const block = typeof document === "undefined" ? null : document.getElementById("methods");
    records = block ? JSON.parse(/** @type {string} */ (block.textContent)) : {};
  }
  return /** @type {Record<string, any>} */ (records);
}

/**
 * The record of one method.
 * @param {string | undefined} name
 * @returns {any}  the record (the server's: convene/domain/methods)
 */
export function methodOf(name) {
  return (name !== undefined && methods()[name]) || unknown(name);
}

/**
 * The names of the methods whose record says `test`.
 * @param {(record: any) => boolean} test
 * @returns {Set<string>}
 */
export function methodsWhere(test) {
  return new Set(Object.values(methods()).filter(test).map((m) => m.name));
}

/**
 * The choices of a ballot on one proposal ([] for the others).
 * @param {string | undefined} name
 * @returns {{value: string | number, label: string, short?: string, hint?: string}[]}
 */
export function choicesOf(name) {
  return methodOf(name).ballot.choices || [];
}

/**
 * Whether a round of this method takes a setting (seats, rule, threshold, ...).
 * @param {string | undefined} name
 * @param {string} setting
 * @returns {boolean}
 */
export function takes(name, setting) {
  return methodOf(name).settings.includes(setting);
}
