/**
 * Types for the xk6-sse extension (`k6/x/sse`, github.com/phymbert/xk6-sse), which @types/k6
 * does not ship, and for the virtual module `stormlab:sse` through which the bundler hands the
 * entry either that extension (bundles built with `{ sse: true }`) or nothing (stock k6).
 */
declare module 'k6/x/sse' {
  export interface SseParams {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    tags?: Record<string, string>;
  }
  export interface SseEvent {
    id: string;
    name: string;
    data: string;
  }
  export interface SseError {
    error(): string;
  }
  export interface SseClient {
    on(event: 'open', handler: () => void): void;
    on(event: 'event', handler: (event: SseEvent) => void): void;
    on(event: 'error', handler: (error: SseError) => void): void;
    close(): void;
  }
  export interface SseResponse {
    url: string;
    status: number;
    headers: Record<string, string>;
    /** non-empty when the connection could not be made */
    error: string;
  }
  const sse: { open(url: string, params: SseParams, setup: (client: SseClient) => void): SseResponse };
  export default sse;
}

declare module 'stormlab:sse' {
  const sse: typeof import('k6/x/sse').default | undefined;
  export default sse;
}
