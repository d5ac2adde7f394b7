/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EVENT_TYPES = void 0;
/** Every event type of the catalogue, as [wrapper, name]. */
exports.EVENT_TYPES = [
    ["AgentStatusChange", "AgentStatusChange"],
    ["AgentProvChange", "AgentProvChange"],
    ["AgentProvChange", "AgentSkillCreated"],
    ["AgentProvChange", "AgentSkillChanged"],
    ["Interaction", "InteractionCreated"],
    ["Interaction", "InteractionQueued"],
    ["Interaction", "InteractionAssigned"],
    ["Interaction", "InteractionAccepted"],
    ["Interaction", "InteractionCustomerAccepted"],
    ["Interaction", "InteractionRejected"],
    ["Interaction", "InteractionUnqueued"],
    ["Interaction", "LineHoldStatus"],
    ["Interaction", "LineMuteStatus"],
    ["Interaction", "InteractionRecordingStarted"],
    ["Interaction", "RecordingStatus"],
    ["Interaction", "InteractionPostProcess"],
    ["Interaction", "InteractionRecordingReady"],
    ["Interaction", "InteractionEndPostProcess"],
    ["Interaction", "InteractionDeassigned"],
    ["Interaction", "InteractionTransferRequest"],
    ["Interaction", "InteractionReconnect"],
    ["Interaction", "InteractionParticipantChange"],
    ["Interaction", "InteractionParticipantRemovedByHost"],
    ["Interaction", "InteractionJoinLinesRequest"],
    ["Interaction", "InteractionJoined"],
    ["Interaction", "InteractionChanged"],
    ["Interaction", "InteractionQueueTimeout"],
    ["Interaction", "InteractionDeleted"],
    ["GuestChatEnd", "GuestChatEnd"],
    ["MediaProxyAdded", "MediaProxyAdded"],
    ["MediaProxyRemoved", "MediaProxyRemoved"],
];
