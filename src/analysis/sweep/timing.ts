/** How long a cell took and where: what a results line leaves out to stay byte-identical. */
export interface CellTiming {
  elapsed_ms: number;
  worker: string;
  attempts: number;
}

/** A runner calls `onLine` once per cell (any order), index into the cells it was given. */
export type OnLine = (index: number, line: string, timing: CellTiming) => void;
