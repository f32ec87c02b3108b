import type { SerializedError } from './serialized-error';

/** A task module exports `createTaskHandler`: called once per worker, it loads models and returns the handler. */
export type TaskHandler<Request, Response> = (request: Request) => Promise<Response>;
export interface TaskModule<Request, Response, Options> {
  createTaskHandler(options: Options): Promise<TaskHandler<Request, Response>>;
}

export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'failed-to-start'; message: string }
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; error: SerializedError };

export interface TaskMessage {
  id: number;
  request: unknown;
}
