/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EVENT_TYPES = void 0;
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
