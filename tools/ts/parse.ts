/**
 * Messages checked at run time: `parseEvent` for a decoded message, `parseFrame` for a Pulsar
 * WebSocket frame. Both check against the published schemas, which are open (a field the
 * service adds later is accepted), with validators compiled ahead of time, so this module
 * needs no validator library. Every failure is an `EventError` saying where (`pointer`, a
 * JSON pointer into the message, or into the frame) and why; an event type this package does
 * not know is an `UnknownEventError`, or a value with `{ unknown: "value" }`. The Python
 * package's `parse_event` and `parse_frame` follow the same rules.
 */
import type { Event, PulsarFrame } from "./index.js";
import { pointerOf, repeatedKeys, repeatMessage } from "./repeats.js";
import { route, UnknownEvent } from "./route.js";
import { validateEvent, validateFrame, type Validator } from "./validators.js";

/** One reason a message is not valid. */
export interface Problem {
  /** JSON pointer to the value at fault: into the message, or into the frame around it. */
  readonly pointer: string;
  /** The schema keyword that failed, or what could not be read (`unreadable`,
   * `contentEncoding`, `contentMediaType`, `unknown-wrapper`, `unknown-event`). */
  readonly rule: string;
  readonly message: string;
  /** `event` for the decoded message, `frame` for the Pulsar frame around it. */
  readonly document: "event" | "frame";
  /** For an unknown wrapper or event: the catalogue's name it most likely misspells. */
  readonly suggestion?: string;
}

/** A message that is not valid. */
export class EventError extends Error {
  override name = "EventError";
  readonly pointer: string;
  /** The first of `errors`, which holds every problem found. */
  readonly errors: readonly Problem[];
  /** The event type the message claims to be, when it names a known one. */
  readonly eventType: string | undefined;
  /** The `messageId` of the frame the message came in, when it came in one. */
  readonly messageId: string | undefined;

  constructor(errors: readonly Problem[], eventType?: string, messageId?: string) {
    const first = errors[0] ?? { pointer: "", rule: "", message: "", document: "event" };
    const where = first.pointer === "" ? "" : ` at ${first.pointer}`;
    const kind = eventType === undefined ? "" : `${eventType} `;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    super(`invalid ${kind}message${where}: ${first.message}${more}`);
    this.errors = errors;
    this.pointer = first.pointer;
    this.eventType = eventType;
    this.messageId = messageId;
  }
}

/** A well-formed message whose wrapper or event name this package does not know. */
export class UnknownEventError extends EventError {
  override name = "UnknownEventError";
}

export { UnknownEvent };

/** A Pulsar control message, not an event frame: a text message that carries `type` or
 * `endOfTopic`, such as the answer to `{"type": "isEndOfTopic"}`. */
export interface Control {
  /** The command or answer it names, when it names one. */
  readonly type: string | undefined;
  /** The answer to `isEndOfTopic`: whether the topic has nothing more, when it says. */
  readonly endOfTopic: boolean | undefined;
  /** The whole message, as received. */
  readonly message: Readonly<Record<string, unknown>>;
}

/** A control message where `parseFrame` expected an event frame; a consumer skips it. */
export class ControlMessage extends EventError {
  override name = "ControlMessage";
  readonly control: Control;

  constructor(control: Control) {
    const shown = Object.entries(control.message)
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join(", ");
    const problem: Problem = {
      pointer: "",
      rule: "control",
      message: `a Pulsar control message (${shown}), not an event frame`,
      document: "frame",
    };
    super([problem], "PulsarFrame");
    this.control = control;
  }
}

/** The control message `value` is, when it is one: an object that carries `type` or
 * `endOfTopic` and is not a frame (which carries `messageId` and `payload`). */
function controlOf(value: unknown): Control | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const message = value as Record<string, unknown>;
  if ("messageId" in message && "payload" in message) return undefined;
  if (!("type" in message) && !("endOfTopic" in message)) return undefined;
  const { type, endOfTopic } = message;
  return {
    type: typeof type === "string" ? type : undefined,
    endOfTopic: typeof endOfTopic === "boolean" ? endOfTopic : undefined,
    message,
  };
}

/** A frame checked and its payload parsed. */
export interface Delivery<E = Event> {
  readonly frame: PulsarFrame;
  readonly event: E;
  readonly messageId: string;
  readonly publishTime: string;
  /** How often the service sent this message again (0 when the frame does not say). */
  readonly redeliveryCount: number;
}

export interface ParseOptions {
  /** `"raise"` (the default) throws `UnknownEventError` for an event type this package does
   * not know; `"value"` returns it as an `UnknownEvent`. */
  readonly unknown?: "raise" | "value";
}

export interface FrameOptions extends ParseOptions {
  /** `"raise"` (the default) throws `ControlMessage` for a control message; `"value"`
   * returns it as a `Control`. */
  readonly control?: "raise" | "value";
}

/** Keywords reported as one finding, without the errors of the subschemas under them. */
const WHOLE = new Set(["anyOf", "oneOf", "propertyNames"]);

function problems(validator: Validator, document: Problem["document"]): Problem[] {
  // Every finding, as the Python package lists them: an anyOf, a oneOf or a propertyNames is
  // one finding (why each branch or name failed is left out), the "if" of each event type's
  // branch says nothing more, and the findings are sorted by pointer, rule and message, so the
  // first is the same in both.
  const errors = (validator.errors ?? []).filter((error) => error.keyword !== "if");
  const branches = errors
    .filter((error) => WHOLE.has(error.keyword))
    .map((error) => `${error.schemaPath}/`);
  const found = new Map<string, Problem>();
  for (const error of errors) {
    if (branches.some((branch) => error.schemaPath.startsWith(branch))) continue;
    const message = error.message ?? "is not valid";
    const key = JSON.stringify([error.instancePath, error.keyword, message]);
    found.set(key, { pointer: error.instancePath, rule: error.keyword, message, document });
  }
  return [...found.values()].sort(
    (a, b) =>
      compare(a.pointer, b.pointer) || compare(a.rule, b.rule) || compare(a.message, b.message),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The parsed message, and a problem for every key one of its objects repeats. */
interface Decoded {
  readonly value: unknown;
  readonly repeats: readonly Problem[];
}

function read(text: string, value: unknown, document: Problem["document"]): Decoded {
  const repeats = repeatedKeys(text, value).map((repeat): Problem => ({
    pointer: pointerOf(repeat.path),
    rule: "uniqueKeys",
    message: repeatMessage(repeat),
    document,
  }));
  return { value, repeats };
}

function decoded(input: string | object, document: Problem["document"]): Decoded {
  if (typeof input !== "string") return { value: input, repeats: [] };
  try {
    return read(input, JSON.parse(input) as unknown, document);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const problem: Problem = {
      pointer: "",
      rule: "unreadable",
      message: `not JSON: ${why}`,
      document,
    };
    throw new EventError([problem], document === "frame" ? "PulsarFrame" : undefined);
  }
}

function checked(
  { value: message, repeats }: Decoded,
  options: ParseOptions,
  messageId?: string,
): Event | UnknownEvent {
  const routed = route(message);
  if (routed.kind === "unknown") {
    if (options.unknown === "value" && repeats.length === 0) return routed.event;
    const { pointer, rule, reason, suggestion } = routed;
    const problem: Problem = {
      pointer,
      rule,
      message: reason,
      document: "event",
      ...(suggestion === undefined ? {} : { suggestion }),
    };
    // a repeated key makes it invalid, whatever its name: which name counts depends on the reader
    if (repeats.length > 0) throw new EventError([...repeats, problem], undefined, messageId);
    throw new UnknownEventError([problem], undefined, messageId);
  }
  const valid = validateEvent(message);
  if (!valid || repeats.length > 0) {
    const eventType = routed.kind === "known" ? routed.name : undefined;
    const found = valid ? [] : problems(validateEvent, "event");
    throw new EventError([...repeats, ...found], eventType, messageId);
  }
  return message as Event;
}

/** A decoded message (JSON text or a parsed value), checked: the message, typed. */
export function parseEvent(input: string | object): Event;
export function parseEvent(
  input: string | object,
  options: { readonly unknown: "value" },
): Event | UnknownEvent;
export function parseEvent(input: string | object, options?: ParseOptions): Event | UnknownEvent;
export function parseEvent(
  input: string | object,
  options: ParseOptions = {},
): Event | UnknownEvent {
  return checked(decoded(input, "event"), options);
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

function payloadProblem(rule: string, message: string): Problem {
  return { pointer: "/payload", rule, message, document: "frame" };
}

/** The message a checked frame's base64 payload carries. */
function payloadOf(frame: PulsarFrame): Decoded {
  const bytes = Uint8Array.from(atob(frame.payload), (char) => char.charCodeAt(0));
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    throw new EventError(
      [payloadProblem("contentEncoding", "payload is not UTF-8 text")],
      "PulsarFrame",
      frame.messageId,
    );
  }
  try {
    return read(text, JSON.parse(text) as unknown, "event");
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new EventError(
      [payloadProblem("contentMediaType", `payload: not JSON: ${why}`)],
      "PulsarFrame",
      frame.messageId,
    );
  }
}

/** A WebSocket message as received (text or parsed): a frame checked, with the event its
 * payload holds. Every failure carries the frame's `messageId` when it has one; with
 * `{ unknown: "value" }` a payload of an event type this package does not know is an
 * `UnknownEvent`, as with `parseEvent`. A control message throws `ControlMessage`, or with
 * `{ control: "value" }` is returned as a `Control`. */
export function parseFrame(input: string | object): Delivery;
export function parseFrame(
  input: string | object,
  options: { readonly unknown: "value"; readonly control?: "raise" },
): Delivery<Event | UnknownEvent>;
export function parseFrame(
  input: string | object,
  options: { readonly unknown?: "raise"; readonly control: "value" },
): Delivery | Control;
export function parseFrame(
  input: string | object,
  options: { readonly unknown: "value"; readonly control: "value" },
): Delivery<Event | UnknownEvent> | Control;
export function parseFrame(
  input: string | object,
  options?: FrameOptions,
): Delivery<Event | UnknownEvent> | Control;
export function parseFrame(
  input: string | object,
  options: FrameOptions = {},
): Delivery<Event | UnknownEvent> | Control {
  const { value, repeats } = decoded(input, "frame");
  const control = controlOf(value);
  if (control !== undefined) {
    if (options.control === "value") return control;
    throw new ControlMessage(control);
  }
  const told = (value as { messageId?: unknown } | null)?.messageId;
  const messageId = typeof told === "string" ? told : undefined;
  const valid = validateFrame(value);
  if (!valid || repeats.length > 0) {
    const found = valid ? [] : problems(validateFrame, "frame");
    throw new EventError([...repeats, ...found], "PulsarFrame", messageId);
  }
  const frame = value as PulsarFrame;
  const event = checked(payloadOf(frame), options, frame.messageId);
  return {
    frame,
    event,
    messageId: frame.messageId,
    publishTime: frame.publishTime,
    redeliveryCount: frame.redeliveryCount ?? 0,
  };
}
