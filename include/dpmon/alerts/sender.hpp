#pragma once
// sender: hands one composed message to the mail system: SMTP through libcurl, or a local maildir when no
// SMTP server is configured (the demo). Blocking: called from the outbox worker's thread, never the event loop.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

namespace dpmon::alerts {

struct outgoing {
    std::int64_t id = 0;
    std::string key;
    std::string from;
    std::string to;
    std::string message;  // the whole RFC 5322 message, CRLF line ends
};

enum class send_outcome {
    sent,
    retry,      // 4xx, a network error or a timeout: try again later
    permanent,  // 5xx: never retried blindly
};

struct send_result {
    send_outcome outcome = send_outcome::retry;
    long reply_code = 0;  // the server's last reply code, 0 when none
    std::string detail;   // for the outbox and the logs
};

class mail_sender {
public:
    virtual ~mail_sender() = default;
    virtual send_result send(const outgoing& m) = 0;
    // Makes a send in progress (and any later one) give up at once, as a retry. Any thread.
    virtual void cancel() {}
};

struct smtp_options {
    std::string url;  // smtp://host:port (STARTTLS) or smtps://host:port (TLS from the start)
    std::string username;
    std::string password;
    bool require_tls = true;  // smtp://: refuse to send without STARTTLS (CURLUSESSL_ALL)
    std::string ca_file;      // extra CA bundle for the server's certificate, if any
    std::chrono::seconds connect_timeout{10};
    std::chrono::seconds timeout{60};  // the whole exchange
};

std::unique_ptr<mail_sender> make_smtp_sender(const smtp_options& options);

// Writes each message to maildir/new/ through maildir/tmp/ (fsynced), named by its outbox id so a retry
// after a crash replaces rather than duplicates. The folders are created 0700.
std::unique_ptr<mail_sender> make_maildir_sender(const std::filesystem::path& maildir);

}  // namespace dpmon::alerts
