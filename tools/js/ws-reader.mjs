// A second WebSocket client, written with Node's `ws` (not the websockets library the
// replay server is built on), to prove the server against an implementation we did not
// write. Usage:
//   node tools/js/ws-reader.mjs URL KEY COUNT [QUEUE]
// Connects with the X-API-Key header, prints one JSON line per frame received
// ({"messageId", "event"} with the payload decoded), acknowledges each, and exits after
// COUNT frames (or 5 s without one). Without acks (QUEUE given and COUNT above it) the
// server must stop after QUEUE frames: it exits then too, printing what it got.
import WebSocket from "ws";

const [url, key, countText, noAckText] = process.argv.slice(2);
const count = Number(countText);
const noAck = noAckText === "no-ack";
const socket = new WebSocket(url, { headers: { "X-API-Key": key } });
let received = 0;
let idle;
let done = false;
const finish = (code) => {
  done = true;
  clearTimeout(idle);
  socket.close();
  process.exitCode = code;
};
const restartIdle = () => {
  clearTimeout(idle);
  idle = setTimeout(() => finish(0), noAck ? 1000 : 5000);
};
socket.on("unexpected-response", (_request, response) => {
  process.stdout.write(JSON.stringify({ status: response.statusCode }) + "\n");
  process.exitCode = 3;
});
socket.on("open", restartIdle);
socket.on("message", (data) => {
  if (done) return; // frames already on their way when we stopped reading
  const frame = JSON.parse(data.toString());
  if ("endOfTopic" in frame || "type" in frame) return;
  const event = JSON.parse(Buffer.from(frame.payload, "base64").toString("utf8"));
  const wrapper = Object.keys(event)[0];
  const name = event[wrapper].event ?? wrapper;
  process.stdout.write(JSON.stringify({ messageId: frame.messageId, event: name }) + "\n");
  if (!noAck) socket.send(JSON.stringify({ messageId: frame.messageId }));
  received += 1;
  if (received >= count) finish(0);
  else restartIdle();
});
socket.on("error", (error) => {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
});
