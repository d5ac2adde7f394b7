/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TIME_UNITS = exports.EVENT_TYPES = void 0;
/** Every event type of the catalogue, as [wrapper, name, whether the wrapper's `event`
 * field tells it apart from the other types of that wrapper]. */
exports.EVENT_TYPES = [
    ["AgentStatusChange", "AgentStatusChange", false],
    ["AgentProvChange", "AgentProvChange", true],
    ["AgentProvChange", "AgentSkillCreated", true],
    ["AgentProvChange", "AgentSkillChanged", true],
    ["Interaction", "InteractionCreated", true],
    ["Interaction", "InteractionQueued", true],
    ["Interaction", "InteractionAssigned", true],
    ["Interaction", "InteractionAccepted", true],
    ["Interaction", "InteractionCustomerAccepted", true],
    ["Interaction", "InteractionRejected", true],
    ["Interaction", "InteractionUnqueued", true],
    ["Interaction", "LineHoldStatus", true],
    ["Interaction", "LineMuteStatus", true],
    ["Interaction", "InteractionRecordingStarted", true],
    ["Interaction", "RecordingStatus", true],
    ["Interaction", "InteractionPostProcess", true],
    ["Interaction", "InteractionRecordingReady", true],
    ["Interaction", "InteractionEndPostProcess", true],
    ["Interaction", "InteractionDeassigned", true],
    ["Interaction", "InteractionTransferRequest", true],
    ["Interaction", "InteractionReconnect", true],
    ["Interaction", "InteractionParticipantChange", true],
    ["Interaction", "InteractionParticipantRemovedByHost", true],
    ["Interaction", "InteractionJoinLinesRequest", true],
    ["Interaction", "InteractionJoined", true],
    ["Interaction", "InteractionChanged", true],
    ["Interaction", "InteractionQueueTimeout", true],
    ["Interaction", "InteractionDeleted", true],
    ["GuestChatEnd", "GuestChatEnd", false],
    ["MediaProxyAdded", "MediaProxyAdded", false],
    ["MediaProxyRemoved", "MediaProxyRemoved", false],
];
/** Every field the schemas type as an epoch time, with its unit in seconds. */
exports.TIME_UNITS = [
    ["attachedData.tim", 1.0],
    ["attachedData.otim", 1.0],
    ["attachedData.callAnsweredTime", 0.001],
    ["attachedData.callHangupTime", 0.001],
    ["attachedData.phoneQueueInteractionStartTime", 1.0],
    ["attachedData.createInteractionTimestampNanos", 1e-09],
    ["interactionEventTS", 1.0],
    ["eventTS", 1.0],
    ["queueTime", 1.0],
    ["msgInfo.timestamp", 0.001],
    ["statusEventTS", 1.0],
];
