import { IncomingMessage, Server, ServerResponse, createServer } from 'http';
import { AddressInfo } from 'net';
import { ServiceError } from './errors';
import { FaultInjector } from './faults';
import { ServiceModel } from './model';
import { ShapeValidator, formatViolations } from './model-validator';
import { HandlerTable } from './ops/common';
import { SimState } from './state';
import type { Operation } from './wire';

/** One request as the simulator saw it. */
export interface CallRecord {
  readonly operation: string;
  /** Simulated epoch ms when the request arrived. */
  readonly simulatedTime: number;
  /** `ok`, the error type returned, or the injected fault (`ConnectionReset`). */
  outcome: string;
}

export interface ServerDeps {
  readonly state: SimState;
  readonly faults: FaultInjector;
  readonly handlers: HandlerTable;
  readonly model: ServiceModel;
  readonly validateResponses: boolean;
  readonly log: (line: string) => void;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** The awsJson1_1 transport: POST / with `x-amz-target: AmazonPersonalize.<Operation>`. */
export class SimServer {
  readonly calls: CallRecord[] = [];
  private server: Server | undefined;
  private readonly validator: ShapeValidator;
  /** Pending Slow delays: stop() ends them early. */
  private readonly delays = new Map<NodeJS.Timeout, () => void>();
  private requestCounter = 0;

  constructor(private readonly deps: ServerDeps) {
    this.validator = new ShapeValidator(deps.model);
  }

  async start(port: number): Promise<string> {
    if (this.server) throw new Error('the simulator is already started');
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        this.deps.log(`simulator bug while handling a request: ${(e as Error).stack ?? e}`);
        if (!res.headersSent) this.sendError(res, new ServiceError('InternalFailure', 'simulator bug', 500));
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const [timer, release] of this.delays) {
      clearTimeout(timer);
      release();
    }
    this.delays.clear();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { state, faults, model } = this.deps;
    const target = req.headers['x-amz-target'];
    const prefix = `${model.metadata.targetPrefix}.`;
    const operation = typeof target === 'string' && target.startsWith(prefix) ? target.slice(prefix.length) : String(target ?? '');
    state.settle();
    const call: CallRecord = { operation, simulatedTime: state.now(), outcome: 'ok' };
    this.calls.push(call);
    const fail = (error: ServiceError) => {
      call.outcome = error.type;
      this.sendError(res, error);
    };

    const fault = faults.take(operation);
    if (fault) {
      this.deps.log(`fault injected into ${operation}: ${fault.kind}`);
      switch (fault.kind) {
        case 'ConnectionReset':
          call.outcome = 'ConnectionReset';
          req.socket.destroy();
          return;
        case 'Slow':
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              this.delays.delete(timer);
              resolve();
            }, fault.delayMs ?? 1000);
            this.delays.set(timer, resolve);
          });
          if (!this.server) return;
          state.settle();
          break;
        case 'InternalServerError':
          return fail(new ServiceError('InternalServerError', 'Injected internal error', 500));
        default:
          return fail(new ServiceError(fault.kind, fault.kind === 'ThrottlingException' ? 'Rate exceeded' : 'Injected limit exceeded'));
      }
    }

    const op = model.operations[operation];
    // The one untyped step: the target names the operation, the model validator checks its input.
    const handler = this.deps.handlers[operation as Operation] as ((state: SimState, input: unknown) => object) | undefined;
    if (req.method !== 'POST' || !op || !handler) {
      const why = op ? 'is not implemented by the simulator' : 'is not a Personalize operation';
      return fail(new ServiceError('UnknownOperationException', `Operation ${operation || '(missing x-amz-target)'} ${why}`));
    }

    let input: unknown;
    try {
      const text = Buffer.concat(chunks).toString('utf8');
      input = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return fail(new ServiceError('SerializationException', 'The request body is not valid JSON'));
    }
    if (op.input) {
      const violations = this.validator.validate(op.input.shape, input);
      if (violations.length > 0) return fail(new ServiceError('InvalidInputException', formatViolations(violations)));
    }

    let output: object;
    try {
      output = handler(state, input);
    } catch (e) {
      if (e instanceof ServiceError) return fail(e);
      this.deps.log(`simulator bug in ${operation}: ${(e as Error).stack ?? e}`);
      return fail(new ServiceError('InternalFailure', `simulator bug in ${operation}: ${(e as Error).message}`, 500));
    }
    if (this.deps.validateResponses && op.output) {
      const violations = this.validator.validate(op.output.shape, output);
      if (violations.length > 0) {
        this.deps.log(`simulator bug: ${operation} output breaks the model: ${formatViolations(violations)}`);
        return fail(new ServiceError('InternalFailure', `simulator bug: invalid ${operation} output`, 500));
      }
    }
    this.send(res, 200, output);
  }

  private sendError(res: ServerResponse, error: ServiceError): void {
    this.send(res, error.statusCode, { __type: `com.amazonaws.personalize#${error.type}`, message: error.message }, error.type);
  }

  private send(res: ServerResponse, status: number, body: object, errorType?: string): void {
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': CONTENT_TYPE,
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': `00000000-0000-4000-8000-${(++this.requestCounter).toString(16).padStart(12, '0')}`,
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    });
    res.end(payload);
  }
}
