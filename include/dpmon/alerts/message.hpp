#pragma once
// message: alerts as RFC 5322 / MIME messages. What an alert says (alert_content) is composed once, when it
// is written to the outbox, into the exact bytes every delivery attempt sends: the same Date, Message-ID and
// X-Dpmon-Alert-Key each time, so a retry after an ambiguous failure is recognisably the same message.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dpmon::alerts {

struct alert_content {
    std::string key;      // the idempotency key ("flag:12:raised", "review:42:7-days-before", "digest:2026-11-30")
    std::string kind;     // flag | reminder | escalation | digest
    std::string to;       // one address
    std::string subject;  // UTF-8
    std::string body;     // plain text, UTF-8, lines separated by "\n"
};

// "<flag.12.raised.1764399600000@council.example>": the key (made safe for a msg-id), the moment it was
// composed, and the sender's domain.
std::string message_id_for(std::string_view key, std::chrono::system_clock::time_point composed, std::string_view from);

// "Sun, 29 Nov 2026 07:00:00 +0000".
std::string rfc5322_date(std::chrono::system_clock::time_point t);

// The subject as it may appear in a header: unchanged when it is printable ASCII, else an RFC 2047
// encoded word ("=?UTF-8?B?...?=").
std::string encode_header_text(std::string_view utf8);

// Quoted-printable (RFC 2045) with CRLF line ends and soft breaks under 76 characters.
std::string quoted_printable(std::string_view utf8);

// The whole message, CRLF line ends: Date, From, To, Subject, Message-ID, X-Dpmon-Alert-Key,
// MIME-Version and a text/plain; charset=utf-8 body in quoted-printable.
std::string compose_message(const alert_content& a, std::string_view from, std::chrono::system_clock::time_point composed);

// The domain of an address ("council.example" for "dp@council.example"), lower-cased; "" when none.
std::string domain_of(std::string_view address);

// Whether `address` may be written to: its domain is one of `allowed` (case-insensitive), or `allowed` is
// empty (no restriction configured).
bool recipient_allowed(std::string_view address, const std::vector<std::string>& allowed);

// The wait before attempt `attempt` + 1 after `attempt` failed attempts (1, 2, ...): initial × 2^(attempt-1)
// capped at `cap`, then spread by up to ±20 % from `random` (any 64-bit value), never above the cap.
std::chrono::milliseconds backoff_delay(std::int64_t attempt, std::chrono::milliseconds initial, std::chrono::milliseconds cap,
                                        std::uint64_t random);

}  // namespace dpmon::alerts
