#include <curl/curl.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

#include "dpmon/alerts/sender.hpp"

namespace dpmon::alerts {
namespace {

struct upload {
    const std::string* text;
    std::size_t sent = 0;
};

std::size_t read_body(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* u = static_cast<upload*>(user);
    const std::size_t n = std::min(size * count, u->text->size() - u->sent);
    std::memcpy(buffer, u->text->data() + u->sent, n);
    u->sent += n;
    return n;
}

int progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<std::atomic<bool>*>(user)->load() ? 1 : 0;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int remember_socket(void* user, curl_socket_t fd, curlsocktype) {
    static_cast<std::atomic<int>*>(user)->store(fd);
    return CURL_SOCKOPT_OK;
}

class smtp_sender final : public mail_sender {
public:
    explicit smtp_sender(smtp_options o) : o_(std::move(o)) {
        static std::once_flag once;
        std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
        // A second line behind CURLOPT_TIMEOUT: this thread shuts the connection's socket at the deadline, or
        // at cancel() (a stopping daemon), which wakes libcurl at once wherever it waits. One thread for the
        // sender's life, polling every 20 ms.
        watchdog_ = std::thread([this] {
            while (!stop_) {
                const std::int64_t deadline = deadline_ms_.load();
                if (deadline != 0 && (cancelled_ || now_ms() >= deadline)) {
                    if (const int fd = socket_.exchange(-1); fd >= 0) {
                        timed_out_ = !cancelled_;
                        ::shutdown(fd, SHUT_RDWR);
                    }
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
    }

    ~smtp_sender() override {
        stop_ = true;
        watchdog_.join();
    }

    smtp_sender(const smtp_sender&) = delete;
    smtp_sender& operator=(const smtp_sender&) = delete;

    send_result send(const outgoing& m) override {
        CURL* c = curl_easy_init();
        if (!c) return {send_outcome::retry, 0, "libcurl could not start a session"};
        upload body{&m.message};
        curl_slist* rcpt = curl_slist_append(nullptr, ("<" + m.to + ">").c_str());
        const std::string from = "<" + m.from + ">";
        char errbuf[CURL_ERROR_SIZE] = {};
        curl_easy_setopt(c, CURLOPT_URL, o_.url.c_str());
        curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(o_.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
        if (!o_.username.empty()) {
            curl_easy_setopt(c, CURLOPT_USERNAME, o_.username.c_str());
            curl_easy_setopt(c, CURLOPT_PASSWORD, o_.password.c_str());
        }
        if (!o_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o_.ca_file.c_str());
        curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
        curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, read_body);
        curl_easy_setopt(c, CURLOPT_READDATA, &body);
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(m.message.size()));
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(o_.connect_timeout.count()));
        curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(o_.timeout.count()));
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, &cancelled_);
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_SOCKOPTFUNCTION, remember_socket);
        curl_easy_setopt(c, CURLOPT_SOCKOPTDATA, &socket_);
        // CURLOPT_TIMEOUT bounds the exchange; the sender's watchdog thread (see the constructor) also shuts
        // the socket at the deadline.
        timed_out_ = false;
        deadline_ms_ = now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(o_.timeout).count();
        const CURLcode rc = curl_easy_perform(c);
        deadline_ms_ = 0;
        // A failed exchange leaves a connection nobody wants; libcurl 7.88 would still send QUIT on it in
        // curl_easy_cleanup() and wait for the reply, which a hung server never gives (that, not the transfer,
        // is what held a timed-out send for as long as the server hung). Shut it first.
        if (const int fd = socket_.exchange(-1); fd >= 0 && rc != CURLE_OK) ::shutdown(fd, SHUT_RDWR);
        const bool timed_out = timed_out_.load() || rc == CURLE_OPERATION_TIMEDOUT;
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        curl_slist_free_all(rcpt);
        curl_easy_cleanup(c);
        if (timed_out)
            return {send_outcome::retry, code,
                    "timeout: no answer within " + std::to_string(o_.timeout.count()) + " s (the server may or may not have "
                    "the message; the retry carries the same Message-ID)"};
        if (rc == CURLE_OK) return {send_outcome::sent, code, "accepted (" + std::to_string(code) + ")"};
        std::string why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
        if (code >= 500 && code <= 599)
            return {send_outcome::permanent, code, "refused with " + std::to_string(code) + ": " + why};
        return {send_outcome::retry, code, (code ? "answered " + std::to_string(code) + ": " : std::string()) + why};
    }

    void cancel() override { cancelled_ = true; }

private:
    smtp_options o_;
    std::atomic<bool> cancelled_{false};
    std::atomic<int> socket_{-1};           // the connection's socket, for the watchdog
    std::atomic<std::int64_t> deadline_ms_{0};  // steady-clock milliseconds; 0: no send in progress
    std::atomic<bool> timed_out_{false};
    std::atomic<bool> stop_{false};
    std::thread watchdog_;
};

}  // namespace

std::unique_ptr<mail_sender> make_smtp_sender(const smtp_options& options) { return std::make_unique<smtp_sender>(options); }

}  // namespace dpmon::alerts
