"""The replies of the JSON API, as msgspec structs: the OpenAPI document's reply schemas.

convene/web/api/spec.py generates the document from these and from the command schemas
(convene/services/schemas.py); the API tests and the fuzz test validate every reply against
it, so a reply that changes shape without its model fails the tests.
Fields that a reply may leave out are ``UnsetType``; all others are always present.

One module an area, as the routes are (``common`` holds the base and the error); this
package names every model, which is where the document finds them (spec.py).
"""

from __future__ import annotations

from convene.web.api.replies.agenda import AgendaItem, AgendaOrder
from convene.web.api.replies.checkins import (
    Checkin,
    CheckinCounts,
    CheckinEntry,
    CheckinSearch,
    EntryRef,
    Seat,
)
from convene.web.api.replies.common import Error, ErrorDetail, Reply, RosterProblem
from convene.web.api.replies.convenings import Convening, CreatedConvening
from convene.web.api.replies.demands import (
    Agreement,
    AgreementCaucusesItem,
    AgreementReply,
    Amendment,
    AmendmentAuthor,
    ConsentBlock,
    Demand,
    DemandAuthor,
    DemandAuthorsItem,
    DemandList,
    DemandOrder,
    DemandOrigin,
    DemandSummary,
    DemandSupportedByItem,
    DemandVersion,
    DiffOp,
    Forwarded,
    ForwardUpstream,
    MyDemandState,
    OriginChapter,
    OriginDecision,
    SupporterList,
    SupporterListSupportersItem,
    SupportReply,
    SupportReplySupportedByItem,
    VersionComparison,
    VersionList,
)
from convene.web.api.replies.feeders import (
    Feeder,
    FeederInvitation,
    FeederList,
    NewFeederInvitation,
    Upstream,
    UpstreamLink,
)
from convene.web.api.replies.floor import (
    Floor,
    FloorChange,
    FloorMove,
    FloorReply,
    FloorRequest,
    FloorSettings,
    SignalAccepted,
    SpeakingStatistics,
    SpeakingStats,
    SpeakingStatsPerPersonItem,
)
from convene.web.api.replies.live import CatchUp, Event, Presence, Snapshot
from convene.web.api.replies.minutes import (
    ActionItem,
    ActionList,
    Minutes,
    MinutesNote,
    NewActionItem,
)
from convene.web.api.replies.participants import Admission, Invitation, Member, MemberList
from convene.web.api.replies.projector import ProjectorView
from convene.web.api.replies.roster import (
    BadgeAdmission,
    NotInFile,
    RosterCredential,
    RosterImport,
    RosterList,
    RosterListed,
    RosterRow,
)
from convene.web.api.replies.rounds import (
    BallotReceipt,
    FollowUpReply,
    MethodName,
    NotVotedList,
    NotVotedPerson,
    PaperBallotReceipt,
    PaperRoll,
    PaperRollPerson,
    PublishedBallots,
    Round,
    RoundOptionsItem,
    Turnout,
)

#: Models of event data (not replies of a route), published in the document's components
#: for clients of the Socket.IO events (docs/realtime.md).
EVENT_DATA = (FloorChange,)

__all__ = [
    "EVENT_DATA",
    "ActionItem",
    "ActionList",
    "Admission",
    "AgendaItem",
    "AgendaOrder",
    "Agreement",
    "AgreementCaucusesItem",
    "AgreementReply",
    "Amendment",
    "AmendmentAuthor",
    "BadgeAdmission",
    "BallotReceipt",
    "CatchUp",
    "Checkin",
    "CheckinCounts",
    "CheckinEntry",
    "CheckinSearch",
    "ConsentBlock",
    "Convening",
    "CreatedConvening",
    "Demand",
    "DemandAuthor",
    "DemandAuthorsItem",
    "DemandList",
    "DemandOrder",
    "DemandOrigin",
    "DemandSummary",
    "DemandSupportedByItem",
    "DemandVersion",
    "DiffOp",
    "EntryRef",
    "Error",
    "ErrorDetail",
    "Event",
    "Feeder",
    "FeederInvitation",
    "FeederList",
    "Floor",
    "FloorChange",
    "FloorMove",
    "FloorReply",
    "FloorRequest",
    "FloorSettings",
    "FollowUpReply",
    "ForwardUpstream",
    "Forwarded",
    "Invitation",
    "Member",
    "MemberList",
    "MethodName",
    "Minutes",
    "MinutesNote",
    "MyDemandState",
    "NewActionItem",
    "NewFeederInvitation",
    "NotInFile",
    "NotVotedList",
    "NotVotedPerson",
    "OriginChapter",
    "OriginDecision",
    "PaperBallotReceipt",
    "PaperRoll",
    "PaperRollPerson",
    "Presence",
    "ProjectorView",
    "PublishedBallots",
    "Reply",
    "RosterCredential",
    "RosterImport",
    "RosterList",
    "RosterListed",
    "RosterProblem",
    "RosterRow",
    "Round",
    "RoundOptionsItem",
    "Seat",
    "SignalAccepted",
    "Snapshot",
    "SpeakingStatistics",
    "SpeakingStats",
    "SpeakingStatsPerPersonItem",
    "SupportReply",
    "SupportReplySupportedByItem",
    "SupporterList",
    "SupporterListSupportersItem",
    "Turnout",
    "Upstream",
    "UpstreamLink",
    "VersionComparison",
    "VersionList",
]
