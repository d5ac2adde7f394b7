// A Node consumer's test against the contract (the guide "Testing your consumer" shows this
// file; our test suite runs it): `8x8-events replay` serves a capture on 127.0.0.1, the
// consumer reads it with `ws` and checks every frame with 8x8-event-types.
//
//   npm install ws 8x8-event-types     # and: pip install 8x8-event-schemas
//   CAPTURE=captures/day.jsonl node --test consumer.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import WebSocket from "ws";
import { EventError, parseFrame } from "8x8-event-types/parse";

const KEY = "a-key-for-this-test-only";
let replay;
let base;

before(async () => {
  replay = spawn("8x8-events", ["replay", process.env.CAPTURE, "--api-key", KEY, "--port", "0"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  // It says where it listens on standard error: "replaying N messages on ws://127.0.0.1:PORT …"
  for await (const line of createInterface({ input: replay.stderr })) {
    const found = /ws:\/\/[^ ]+/.exec(line);
    if (found) {
      base = found[0];
      break;
    }
  }
});

after(() => replay.kill());

/** Reads `count` frames of a topic from the start, acknowledging each. */
function read(topic, count) {
  const url = `${base}/ws/v2/reader/persistent/acmecorp01/${topic}?messageId=earliest`;
  const socket = new WebSocket(url, { headers: { "X-API-Key": KEY } });
  const deliveries = [];
  return new Promise((resolve, reject) => {
    socket.on("message", (data) => {
      const delivery = parseFrame(data.toString(), { unknown: "value", control: "value" });
      if (!("frame" in delivery)) return; // a control message
      socket.send(JSON.stringify({ messageId: delivery.messageId }));
      deliveries.push(delivery);
      if (deliveries.length === count) {
        socket.close();
        resolve(deliveries);
      }
    });
    socket.on("error", reject);
  });
}

test("every frame of the capture is a valid event", async () => {
  const deliveries = await read("event-v1/all", 50);
  assert.equal(deliveries.length, 50);
  for (const { event } of deliveries) assert.ok(event.Interaction ?? event.AgentStatusChange);
});

test("a topic of one event type carries only that type", async () => {
  const deliveries = await read("event-v1/InteractionQueued", 5);
  for (const { event } of deliveries) assert.equal(event.Interaction.event, "InteractionQueued");
});

test("a broken message is an EventError naming the field", () => {
  const frame = {
    messageId: "CAE=",
    payload: btoa('{"Interaction": {"event": "InteractionQueued"}}'),
    publishTime: "2025-11-25T08:00:00.000Z",
  };
  assert.throws(() => parseFrame(JSON.stringify(frame)), EventError);
});
