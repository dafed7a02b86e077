/** k6 provides `console` (it logs through k6's logger); @types/k6 leaves it to lib.dom, which this config does not load. */
declare const console: {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};
