// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>

// Every limit of the protocol, in one place so that the app and the server agree.
// docs/protocol.md lists them; the server enforces them.
namespace chatterbox::limits {

inline constexpr int kProtocolVersion = 1;

// Transport.
// What a client may send: room for the largest request, a message.sync of kMaxSyncTopics
// positions with 19-digit seqs and revs (113 KB).
inline constexpr std::size_t kMaxFrameBytes = 128 * 1024;      // one WebSocket frame
inline constexpr std::size_t kMaxMessageBytes = 128 * 1024;    // one reassembled WebSocket message

// Content.
inline constexpr std::size_t kMaxBodyChars = 4000;             // message body, in Unicode code points
inline constexpr std::size_t kMaxNameChars = 100;              // party and topic names
inline constexpr std::size_t kMaxDisplayNameChars = 64;        // a person's display name
inline constexpr std::size_t kMaxStatusChars = 100;            // a person's status line
inline constexpr std::size_t kMaxFeatures = 32;                // feature names in hello
inline constexpr std::size_t kMaxFeatureNameChars = 64;

// Conversation.
inline constexpr std::size_t kMaxEmojiBytes = 32;              // one reaction's emoji, as UTF-8
inline constexpr std::size_t kMaxReactionsPerMessage = 20;     // distinct emoji on one message
// Reactions one person may add or remove: a burst, then kReactionsPerSecond (per server instance).
inline constexpr double kReactionBurst = 10.0;
inline constexpr double kReactionsPerSecond = 5.0;
inline constexpr std::size_t kMaxPinsPerTopic = 50;
inline constexpr std::size_t kReplyExcerptChars = 100;         // what a reply quotes of its original

// Files (docs/protocol.md, "Files"). The size limit and the quota are the server's options.
inline constexpr std::size_t kMaxFilesPerMessage = 10;
inline constexpr std::size_t kMaxFileNameChars = 255;          // in code points
inline constexpr std::size_t kMaxMediaTypeBytes = 127;
inline constexpr std::size_t kMaxThumbnailBytes = 64 * 1024;   // the sender's app's small image
inline constexpr int kMaxImageSide = 65535;                    // declared width and height
inline constexpr std::size_t kMaxUploadPieceBytes = 4 * 1024 * 1024;   // one PATCH's body
inline constexpr std::int64_t kDefaultMaxFileBytes = 25LL * 1024 * 1024;
inline constexpr std::int64_t kDefaultFileQuotaBytes = 1024LL * 1024 * 1024;   // per person
inline constexpr int kUnsentFileHours = 24;                    // an upload never sent is dropped after this

// Direct conversations: the people in one (the caller among them), and how many one person may be
// in (they do not count against kMaxPartiesPerUser).
inline constexpr std::size_t kMaxDirectMembers = 10;
inline constexpr std::size_t kMaxDirectConversationsPerUser = 1000;
inline constexpr std::size_t kMaxBlockedUsers = 1000;
// direct.open one person may send: a burst, then one per kDirectOpenRefillSeconds (per instance).
inline constexpr double kDirectOpenBurst = 20.0;
inline constexpr double kDirectOpenRefillSeconds = 6.0;

// Invites: codes are 128 random bits in URL-safe base64 (22 characters).
inline constexpr std::size_t kInviteCodeChars = 22;
inline constexpr std::int64_t kMinInviteLifetimeSeconds = 60;
inline constexpr std::int64_t kMaxInviteLifetimeSeconds = 365LL * 24 * 3600;
inline constexpr int kMaxInviteUses = 100000;
inline constexpr std::size_t kMaxInvitesPerParty = 1000;
// Failed invite look-ups (wrong or dead codes) allowed per person and per address: a burst, then
// one per kInviteFailureRefillSeconds.
inline constexpr double kInviteFailureBurst = 10.0;
inline constexpr double kInviteFailureRefillSeconds = 6.0;
// And per client address, a much higher cap, held only against people who have failed too.
inline constexpr double kInviteAddressFailureBurst = 200.0;
inline constexpr double kInviteAddressFailureRefillSeconds = 1.0;
// Look-ups waiting for budget that running look-ups hold (many people joining from one address).
inline constexpr std::size_t kMaxParkedInviteLookups = 1000;

// An access token, as session.renew carries it (the server's are about 300 bytes).
inline constexpr std::size_t kMaxAccessTokenBytes = 4096;

// Profiles.
inline constexpr std::size_t kMaxAvatarUrlBytes = 2048;
// A person's picture: a square PNG, JPEG or WebP the app made small.
inline constexpr std::size_t kMaxAvatarBytes = 256 * 1024;
inline constexpr int kMaxAvatarSide = 1024;

// Typing: one typing event per person and topic per interval at most; clients show "typing"
// for kTypingDisplaySeconds after the last one.
inline constexpr int kTypingIntervalSeconds = 3;
inline constexpr int kTypingDisplaySeconds = 6;

// Read state: unread counts stop counting here (clients show "999+").
inline constexpr std::int64_t kMaxUnreadCount = 1000;

// Reads.
inline constexpr int kDefaultHistoryPage = 50;
inline constexpr int kMaxHistoryPage = 100;
inline constexpr std::size_t kMaxSyncTopics = 1000;            // topics in one message.sync
inline constexpr int kMaxSyncMessagesPerTopic = 500;           // then hasMore, and page with history
// The messages of one history or sync reply, as JSON: a page ends early (hasMore) rather than
// pass it, so that every such reply fits in 1 MiB, the frame limit many WebSocket libraries
// start with. One message alone is far smaller (a body of 4000 escaped characters is 24 KB).
inline constexpr std::size_t kMaxPageBytes = 768 * 1024;

// Search (message.search).
inline constexpr std::size_t kMaxSearchQueryChars = 500;       // the query as typed, in code points
inline constexpr std::size_t kMaxSearchTerms = 32;             // words and phrases in one query
inline constexpr std::size_t kMinPrefixChars = 3;              // a last word this long matches as a prefix
inline constexpr int kDefaultSearchPage = 20;
inline constexpr int kMaxSearchPage = 50;
inline constexpr std::size_t kSearchSnippetChars = 200;        // a result's excerpt, in code points
inline constexpr int kMaxUtcOffsetMinutes = 14 * 60;           // the time zone's offset, for dates
// Searches one person may start: a burst, then kSearchesPerSecond (per server instance). Typing
// sends one a quarter of a second after the last key at most.
inline constexpr double kSearchBurst = 10.0;
inline constexpr double kSearchesPerSecond = 5.0;
// How long one search may take in the database before it is stopped; and after how long a
// search that walks back through time returns what it found so far, with where to go on.
inline constexpr int kSearchStatementTimeoutMs = 3000;
inline constexpr int kSearchTimeBudgetMs = 250;

// Structure.
inline constexpr std::size_t kMaxTopicsPerParty = 500;
inline constexpr std::size_t kMaxPartiesPerUser = 200;

// Per connection (server side).
inline constexpr double kRequestsPerSecond = 20.0;             // sustained request rate
inline constexpr double kRequestBurst = 60.0;                  // requests allowed at once
inline constexpr int kMaxConnectionsPerUser = 20;

// Keep-alive: the server pings every interval and closes a connection silent for the timeout.
inline constexpr int kPingIntervalSeconds = 25;
inline constexpr int kIdleTimeoutSeconds = 60;

// WebSocket close codes the server uses (4000-4999 is the application range).
inline constexpr std::uint16_t kCloseProtocolError = 4000;     // hello missing or broken
inline constexpr std::uint16_t kCloseUnauthorized = 4001;      // token expired or revoked
inline constexpr std::uint16_t kCloseIdleTimeout = 4002;       // no pong within the idle timeout
inline constexpr std::uint16_t kCloseSlowConsumer = 4003;      // left what it was sent unread too long
inline constexpr std::uint16_t kCloseRateLimited = 4004;       // kept flooding after rate_limited errors
inline constexpr std::uint16_t kCloseServerShutdown = 1001;    // going away

// A connection that gets this many rate_limited errors in a row is closed with kCloseRateLimited.
inline constexpr int kMaxRateLimitStrikes = 100;

} // namespace chatterbox::limits
