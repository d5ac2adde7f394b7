/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
/** One failed check, as ajv reports it. */
export interface ValidationError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly message?: string;
}

/** A validator compiled ahead of time from the published schemas: true when `data` is valid;
 * otherwise `errors` says why. */
export interface Validator {
  (data: unknown): boolean;
  errors?: ValidationError[] | null;
}

/** A decoded message against event.schema.json. */
export declare const validateEvent: Validator;
/** A WebSocket frame against pulsar-frame.schema.json. */
export declare const validateFrame: Validator;
