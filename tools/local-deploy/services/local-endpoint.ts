/**
 * The runner's one HTTP server: WaitCondition handle URLs, custom resource ResponseURLs, a
 * minimal Step Functions API (awsJson1_0) and a minimal CloudFormation API (awsQuery).
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { SimClock } from './clock';

export interface EndpointRoutes {
  /** PUT to a WaitConditionHandle URL. */
  signal(pathname: string, body: string): void;
  /** PUT to a custom resource ResponseURL. */
  respond(pathname: string, body: string): void;
  /** POST with `x-amz-target: AWSStepFunctions.<operation>`. */
  stepFunctions(operation: string, body: unknown): Promise<{ status: number; body: unknown }>;
  /** POST of a form-encoded CloudFormation Query API request (`Action=...`). */
  cloudFormation(body: string): { status: number; body: string };
}

export const WAIT_PREFIX = '/wait/';
export const RESPONSE_PREFIX = '/cfn-response/';

export class LocalEndpoint {
  private server: http.Server | undefined;
  private port = 0;

  constructor(private readonly routes: EndpointRoutes, private readonly clock: SimClock) {}

  /** Base URL, e.g. http://127.0.0.1:40123. Only valid after start(). */
  public get url(): string {
    if (!this.server) throw new Error('local endpoint not started');
    return `http://127.0.0.1:${this.port}`;
  }

  public async start(): Promise<void> {
    if (this.server) return;
    const server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  public async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const activity = this.clock.begin();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void this.dispatch(req, Buffer.concat(chunks).toString('utf8'))
        .then(({ status, body, contentType }) => {
          res.writeHead(status, { 'content-type': contentType });
          res.end(body);
        })
        .finally(() => activity.end());
    });
    req.on('error', () => activity.end());
  }

  private async dispatch(req: http.IncomingMessage, body: string): Promise<{ status: number; body: string; contentType: string }> {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      if (req.method === 'PUT' && pathname.startsWith(WAIT_PREFIX)) {
        this.routes.signal(pathname, body);
        return { status: 200, body: '', contentType: 'text/plain' };
      }
      if (req.method === 'PUT' && pathname.startsWith(RESPONSE_PREFIX)) {
        this.routes.respond(pathname, body);
        return { status: 200, body: '', contentType: 'text/plain' };
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method === 'POST' && target.startsWith('AWSStepFunctions.')) {
        const result = await this.routes.stepFunctions(target.slice('AWSStepFunctions.'.length), body ? JSON.parse(body) : {});
        return { status: result.status, body: JSON.stringify(result.body), contentType: 'application/x-amz-json-1.0' };
      }
      const contentType = String(req.headers['content-type'] ?? '');
      if (req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded') && /(^|&)Action=/.test(body)) {
        const result = this.routes.cloudFormation(body);
        return { status: result.status, body: result.body, contentType: 'text/xml' };
      }
      return { status: 404, body: `No route for ${req.method} ${pathname}`, contentType: 'text/plain' };
    } catch (e) {
      return { status: 400, body: (e as Error).message ?? String(e), contentType: 'text/plain' };
    }
  }
}
