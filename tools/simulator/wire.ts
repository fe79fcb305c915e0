// What the JSON protocol carries, typed by the SDK's own requests and responses. The model
// validator has already checked types and constraints, so a handler's request has every
// required member.
import type * as sdk from '@aws-sdk/client-personalize';
import type { CommandImpl } from '@smithy/core/client';

/** An operation as the SDK names it: `CreateSolution` for `CreateSolutionCommand`. */
export type Operation = { [K in keyof typeof sdk]: K extends `${infer Op}Command` ? Op : never }[keyof typeof sdk];

type CommandOf<Op extends Operation> = InstanceType<(typeof sdk)[`${Op}Command`]>;

/** The SDK's request of an operation, as the model validator lets it through: every required member present. */
export type RequestOf<Op extends Operation> = Validated<CommandOf<Op>['input']>;

/** The SDK's response of an operation, as the JSON protocol carries it (timestamps in epoch seconds). */
export type ResponseOf<Op extends Operation> = CommandOf<Op> extends CommandImpl<any, infer O, any, any, any> ? Wire<Omit<O, '$metadata'>> : never;

/** The SDK marks a required member `x: T | undefined`, an optional one `x?: T`. */
type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
export type Validated<T> = T extends Date | string | number | boolean | Uint8Array ? T
  : T extends ReadonlyArray<infer U> ? Validated<U>[]
    : T extends object ? (string extends keyof T ? { [key: string]: Validated<Exclude<T[string], undefined>> }
      : { [K in RequiredKeys<T>]: Validated<Exclude<T[K], undefined>> } & { [K in Exclude<keyof T, RequiredKeys<T>>]?: Validated<T[K]> })
      : T;

/** What the JSON protocol carries for a type: timestamps as epoch seconds. */
type Wire<T> = T extends Date ? number
  : T extends string | number | boolean ? T
    : T extends ReadonlyArray<infer U> ? Wire<U>[]
      : T extends object ? { [K in keyof T]: Wire<T[K]> }
        : T;


export type Tag = Validated<sdk.Tag>;
export type CreateSolutionInput = RequestOf<'CreateSolution'>;
export type SolutionConfigInput = NonNullable<CreateSolutionInput['solutionConfig']>;
export type SolutionUpdateConfigInput = NonNullable<RequestOf<'UpdateSolution'>['solutionUpdateConfig']>;

/** Epoch milliseconds to the wire's epoch seconds (with millis). */
export const toWireTime = (ms: number) => ms / 1000;
