import type {
  CustomResourceLifecycle,
  Decision,
  IsCompleteRequest,
  IsCompleteResponse,
  OnEventRequest,
  OnEventResponse,
} from './types';

/** An onEvent response that carries its decision: every resource handler's onEvent returns one. */
export type Decided<D extends Decision> = OnEventResponse & { readonly Decision: D };

/** The decision of a handler with nothing to wait for: isComplete is complete at once. */
export type Done = { readonly action: 'done' };
export const DONE: Done = { action: 'done' };

/** What the resource handlers take besides the API. */
export interface HandlerOptions {
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
}

/**
 * The skeleton every custom resource type of the provider fills in. onEvent has one method per
 * request type, and each returns what it decided (`D`, a union of `{ action: ... }` types). The
 * provider framework hands that decision to isComplete, which checks that it is one of the
 * handler's and passes it to `isDone`: a switch over the union, exhaustive by type.
 */
export abstract class CustomResourceHandler<D extends Decision> implements CustomResourceLifecycle {
  /** @param actions every action onEvent may decide on; isComplete refuses any other. */
  protected constructor(private readonly actions: ReadonlyArray<D['action']>) {}

  public async onEvent(event: OnEventRequest): Promise<Decided<D>> {
    switch (event.RequestType) {
      case 'Create':
        return this.onCreate(event);
      case 'Update':
        return this.onUpdate(event);
      case 'Delete':
        return this.onDelete(event);
      default:
        throw unsupported(event);
    }
  }

  public async isComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
    if (!['Create', 'Update', 'Delete'].includes(event.RequestType)) {
      throw unsupported(event);
    }
    const decision = event.Decision;
    if (decision === undefined || !this.actions.includes(decision.action)) {
      throw new Error(`isComplete of ${event.ResourceType} ${event.LogicalResourceId} received ${JSON.stringify(decision) ?? 'no decision'}, ` +
        `not one its onEvent makes (${this.actions.join(', ')})`);
    }
    return this.isDone(event, decision as D);
  }

  protected abstract onCreate(event: OnEventRequest): Promise<Decided<D>>;
  protected abstract onUpdate(event: OnEventRequest): Promise<Decided<D>>;
  protected abstract onDelete(event: OnEventRequest): Promise<Decided<D>>;

  /** Whether what onEvent decided has finished: a switch over every action of `D`. */
  protected abstract isDone(event: IsCompleteRequest, decision: D): Promise<IsCompleteResponse>;
}

/** A handler whose every request is finished when onEvent returns. */
export abstract class ImmediateHandler extends CustomResourceHandler<Done> {
  protected constructor() {
    super([DONE.action]);
  }

  protected async isDone(): Promise<IsCompleteResponse> {
    return { IsComplete: true };
  }
}

/**
 * A handler that reads an outcome and creates nothing: Create and Update read it (and fail with
 * its reason), Delete has nothing to do. The training, import and batch job results are these.
 */
export abstract class ResultReader extends ImmediateHandler {
  protected async onCreate(event: OnEventRequest): Promise<Decided<Done>> {
    return this.read(event);
  }

  protected async onUpdate(event: OnEventRequest): Promise<Decided<Done>> {
    return this.read(event);
  }

  /** Nothing was created. */
  protected async onDelete(event: OnEventRequest): Promise<Decided<Done>> {
    return { PhysicalResourceId: event.PhysicalResourceId, Decision: DONE };
  }

  /** The outcome as the resource's attributes; throws with the reason when it is a failure. */
  protected abstract read(event: OnEventRequest): Promise<Decided<Done>>;
}

/** The default of an exhaustive switch: a compile error when an action is not handled. */
export function unhandled(decision: never): never {
  throw new Error(`Unhandled decision ${JSON.stringify(decision)}`);
}

function unsupported(event: OnEventRequest): Error {
  return new Error(`Unsupported request type: ${String((event as OnEventRequest).RequestType)}`);
}
