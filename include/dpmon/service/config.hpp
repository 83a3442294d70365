#pragma once
// config: the service's settings, read from TOML (docs/configuration.md). Every key has a
// default except where noted; an unknown key, a wrong type or a bad value is an error that names the
// file, line, column and key and says what form is expected.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dpmon/core/error.hpp"
#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/policy.hpp"
#include "dpmon/importers/profile.hpp"

namespace dpmon::daemon {

inline constexpr std::string_view default_config_path = "/etc/dpmon/dpmon.toml";

struct daemon_section {
    std::filesystem::path state_dir = "/var/lib/dpmon";
    std::filesystem::path drop_dir = "/var/lib/dpmon-drop";  // outside state_dir: uploaders may write there
    std::string timezone = "Europe/London";
    std::string daily_at = "07:00";  // HH:MM, local time
    std::string log_level = "info";  // trace | debug | info | warn | error
    std::int64_t settle_seconds = 5;
    std::int64_t max_file_bytes = 256LL * 1024 * 1024;
    std::int64_t rescan_seconds = 60;
};

struct http_section {
    std::string listen_address = "127.0.0.1";
    std::uint16_t listen_port = 8080;
    std::filesystem::path token_file = "/etc/dpmon/api-token";  // one token, an admin ("api-token")
    std::filesystem::path users_file = "/etc/dpmon/users.toml";  // people: name, email, role, token hash
    std::int64_t query_time_limit_ms = 2000;  // a read still running after this is stopped (503)
    std::int64_t reader_threads = 3;          // threads answering reads, each with its own connection
    std::vector<std::string> allowed_hosts;  // besides localhost, 127.0.0.1 and ::1
    std::int64_t max_connections = 64;
    std::int64_t read_timeout_seconds = 10;
    std::int64_t idle_timeout_seconds = 30;
    // Where officers reach the dashboard (through the TLS reverse proxy): the links in emails, a Host name
    // allowed besides loopback, the Origin forms may come from, and the cookie's Secure when https. Empty:
    // [alerts] dashboard_url when set (its old name), else http:// + listen.
    std::string public_url;
    std::int64_t session_hours = 10;  // a dashboard sign-in lasts this long (a working day)
};

// The scheme and authority of a URL ("https://dpmon.council.example" of ".../x"), and its host name.
std::string url_origin(const std::string& url);
std::string url_host(const std::string& url);

struct smtp_section {
    bool enabled = false;  // true when [smtp] is present; otherwise mail goes to state_dir/maildir
    std::string url;
    std::string from;
    std::string team_mailbox;
    std::vector<std::string> allowed_recipient_domains;
    std::string username;
    std::filesystem::path password_file;
    std::int64_t connect_timeout_seconds = 10;
    std::int64_t timeout_seconds = 60;
    std::string digest_at = "08:00";
    bool require_tls = true;                   // smtp://: STARTTLS or no mail (CURLUSESSL_ALL)
    std::filesystem::path ca_file;             // extra CA bundle for the relay's certificate
    std::int64_t retry_initial_seconds = 30;   // first wait after a temporary failure; doubles each time
    std::int64_t retry_max_seconds = 3600;     // the cap of that wait
};

// [alerts]: what goes out at once and where its links point. Works with or without [smtp].
struct alerts_section {
    std::vector<std::string> immediate_flags = {"OVERDRAWN", "BALANCE_MISMATCH", "COUNCIL_PAYMENT_MISSING"};
    std::string dashboard_url;  // default: http:// + [http] listen
    // Grouping (docs/alerts.md#grouping): "30s", "5m", "1h", "7d".
    std::string group_wait = "5m";
    std::string group_interval = "1h";
    std::string repeat_interval = "7d";
};

// "30s", "5m", "1h", "7d" in seconds; nullopt for anything else.
std::optional<std::int64_t> parse_duration(std::string_view text);

// [backup]: dpmond's daily copy of the database (docs/operations.md#backups).
struct backup_section {
    bool enabled = true;
    std::string at = "02:30";            // HH:MM, local time
    std::int64_t keep_daily = 7;         // the newest this many daily backups
    std::int64_t keep_weekly = 4;        // and the newest of each of this many weeks
    std::filesystem::path folder;        // empty: state_dir/backups
};

struct rule_section {
    std::string match;  // case-insensitive substring, or
    std::string regex;  // a pattern (ECMAScript, case-insensitive); exactly one of the two
    std::string category;
    std::int64_t line = 0;  // where the rule stands in the file, for the audit trail
};

struct config {
    std::filesystem::path source;  // the file read, for messages
    daemon_section daemon;
    http_section http;
    std::optional<smtp_section> smtp;
    alerts_section alerts;
    backup_section backup;
    core::policy policy;
    std::vector<std::string> extra_categories;
    std::vector<core::civil_date> bank_holidays;  // [policy] bank_holidays: added to the shipped 2024-2028 list
    std::vector<rule_section> rules;
    std::vector<importers::profile> profiles;  // [profiles.NAME]: added to (or replacing) the built-in ones
};

// Reads and validates the file. Errors (errc::config_invalid, errc::io_error) list every problem found,
// one per line, each "FILE:LINE:COLUMN: key 'section.key': what is wrong; expected ...".
result<config> load_config(const std::filesystem::path& path);

// The same over text already in memory; `source_name` stands for the file in messages.
result<config> parse_config(std::string_view text, std::string_view source_name);

// The effective configuration, every key with its value, as TOML that load_config accepts.
std::string render_config(const config& c);

// What is valid but probably wrong, one sentence each naming the key and what to do: mail on with a loopback
// [http] public_url (the links in emails would not open on officers' computers), a public_url on plain http
// that is not loopback (sign-in cookies would cross the network unencrypted).
std::vector<std::string> config_warnings(const config& c);

}  // namespace dpmon::daemon
