/** A fault's time window in a game day: a chaos fault from its start to its stop, or a killed instance's outage. */
export interface FaultWindow {
  id: string;
  fault: string;
  scope: Record<string, string | string[]>;
  startMs: number;
  /** the stop time, or the end of the run when it never stopped before */
  endMs: number;
}
