import { Agent, type Dispatcher } from 'undici';

/** One request as it left for the network. */
export interface SentRequest {
  method: string;
  origin: string;
  path: string;
  /** Whether it carried an Authorization header. */
  authorized: boolean;
}

/** An undici dispatcher for the code under test that records every request it sends, redirect hops included. */
export interface RecordingDispatcher {
  dispatcher: Dispatcher;
  sent: SentRequest[];
  /** The requests sent to `origin` (`http://127.0.0.1:PORT`). */
  sentTo(origin: string): SentRequest[];
  close(): Promise<void>;
}

export function recordingDispatcher(): RecordingDispatcher {
  const agent = new Agent();
  const sent: SentRequest[] = [];
  const dispatcher = agent.compose((dispatch) => (options, handler) => {
    const headers = options.headers as Record<string, string | string[] | undefined> | undefined;
    sent.push({
      method: options.method,
      origin: String(options.origin),
      path: options.path,
      authorized: headers?.['authorization'] !== undefined,
    });
    return dispatch(options, handler);
  });
  return {
    dispatcher,
    sent,
    sentTo: (origin) => sent.filter((request) => request.origin === origin),
    close: () => agent.close(),
  };
}
