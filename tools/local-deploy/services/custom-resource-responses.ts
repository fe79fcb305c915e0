import { RESPONSE_PREFIX } from './local-endpoint';

/** Responses PUT to ResponseURLs, by request id. */
export class CustomResourceResponses {
  private readonly received = new Map<string, string>();
  private readonly waiting = new Map<string, (body: string) => void>();

  public urlFor(baseUrl: string, requestId: string): string {
    return `${baseUrl}${RESPONSE_PREFIX}${requestId}`;
  }

  /** Route handler for PUT /cfn-response/<requestId>. */
  public respond(pathname: string, body: string): void {
    const requestId = decodeURIComponent(pathname.slice(RESPONSE_PREFIX.length));
    this.received.set(requestId, body);
    this.waiting.get(requestId)?.(body);
  }

  /** The response body if it arrived within `graceMs` of wall time. */
  public async take(requestId: string, graceMs: number): Promise<string | undefined> {
    const body = this.received.get(requestId) ?? await new Promise<string | undefined>(resolve => {
      const timer = setTimeout(() => resolve(undefined), graceMs);
      this.waiting.set(requestId, b => {
        clearTimeout(timer);
        resolve(b);
      });
    });
    this.waiting.delete(requestId);
    this.received.delete(requestId);
    return body;
  }
}
