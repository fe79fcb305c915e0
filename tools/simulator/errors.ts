/** An error the simulator returns as `{"__type": "com.amazonaws.personalize#<type>", "message"}`. */
export class ServiceError extends Error {
  constructor(readonly type: string, message: string, readonly statusCode = 400) {
    super(message);
    this.name = type;
  }
}

export const invalidInput = (message: string) => new ServiceError('InvalidInputException', message);
export const notFound = (what: string, arn: string) =>
  new ServiceError('ResourceNotFoundException', `Could not find resource: ${what} ${arn}`);
export const inUse = (message: string) => new ServiceError('ResourceInUseException', message);
export const alreadyExists = (arn: string) =>
  new ServiceError('ResourceAlreadyExistsException', `Resource already exists: ${arn}`);
export const limitExceeded = (message: string) => new ServiceError('LimitExceededException', message);
