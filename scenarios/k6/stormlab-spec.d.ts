/** The virtual module scenarios/bundle.ts fills with the resolved (parsed) spec. */
declare module 'stormlab:spec' {
  const spec: import('../spec-schema.js').Spec;
  export default spec;
}
