// A JSON POST with Node's fetch: the answer's body is read (so the socket is freed) under the same
// signal; a non-2xx answer throws `HTTP <status>`. Errors never carry the URL (it may hold a secret).
import type { AlertChannel } from '../../ports/alerts.js';

export class JsonPostChannel implements AlertChannel {
  constructor(
    readonly name: string,
    private readonly url: string,
  ) {}

  async send(body: object, signal: AbortSignal): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  }
}
