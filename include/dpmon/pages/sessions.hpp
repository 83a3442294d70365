#pragma once
// The dashboard's sign-in sessions (docs/dashboard.md#signing-in). A person signs in with their API token;
// the session keeps it in memory only (never on disk, never in a log) under a random id that the browser
// holds as an HttpOnly cookie. Each request looks the token up again in the users file, so removing a person
// or changing their role takes effect at the next request after a reload. A restart signs everybody out.
// Thread-safe: pages run on the reader and writer threads, sign-in on the event loop.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dpmon::pages {

// What a form sent back once: the notice after a change, or the API's refusal to show next to its field.
struct flash {
    std::string notice;                         // "Flag 222 acknowledged."
    std::string form;                           // which form the errors belong to ("ack-222")
    std::string error;                          // the API's message
    std::string field;                          // the field it names, when it names one
    std::map<std::string, std::string> values;  // what was typed, to fill the form again
};

class session_store {
public:
    using clock = std::chrono::steady_clock;

    explicit session_store(std::chrono::minutes lifetime) : lifetime_(lifetime) {}
    void set_lifetime(std::chrono::minutes lifetime);
    std::chrono::minutes lifetime() const;

    struct opened {
        std::string id;    // the cookie's value: 32 random bytes as hex
        std::string csrf;  // the token every form of the session carries
    };
    // A new session for the holder of `token` (already checked by the caller).
    opened open(std::string token);

    struct live {
        std::string token;
        std::string csrf;
    };
    // The session `id` names, when it has not expired (an expired one is forgotten).
    std::optional<live> find(std::string_view id);
    void close(std::string_view id);

    void set_flash(std::string_view id, flash f);
    std::optional<flash> take_flash(std::string_view id);

private:
    struct entry {
        std::string token;
        std::string csrf;
        clock::time_point expires;
        std::optional<pages::flash> left;  // what the last form left for the next page
    };
    void forget_expired(clock::time_point now);  // with mutex_ held

    mutable std::mutex mutex_;
    std::chrono::minutes lifetime_;
    std::unordered_map<std::string, entry> sessions_;
};

// The value of cookie `name` in a Cookie header ("a=1; dpmon_session=…"), empty when absent.
std::string cookie_value(std::string_view header, std::string_view name);

inline constexpr std::string_view session_cookie = "dpmon_session";

}  // namespace dpmon::pages
