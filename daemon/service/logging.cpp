#include "dpmon/service/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string>

#include "dpmon/core/text.hpp"
#include <memory>

namespace dpmon::daemon {
namespace {

// %* -> the sd-daemon(3) priority prefix digit for the message's level.
class syslog_priority final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        char digit = '6';
        switch (msg.level) {
            case spdlog::level::trace:
            case spdlog::level::debug: digit = '7'; break;
            case spdlog::level::info: digit = '6'; break;
            case spdlog::level::warn: digit = '4'; break;
            case spdlog::level::err: digit = '3'; break;
            case spdlog::level::critical: digit = '2'; break;
            default: break;
        }
        dest.push_back(digit);
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<syslog_priority>(); }
};

// %& -> the message with control characters escaped (core::escape_control): file names and other text
// from outside cannot break a line or forge a journal priority.
class escaped_payload final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        const std::string text = core::escape_control(std::string_view(msg.payload.data(), msg.payload.size()));
        dest.append(text.data(), text.data() + text.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<escaped_payload>(); }
};

}  // namespace

void init_logging(std::string_view level) {
    auto logger = std::make_shared<spdlog::logger>("dpmon", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    if (std::getenv("JOURNAL_STREAM") != nullptr) {
        formatter->add_flag<syslog_priority>('*').add_flag<escaped_payload>('&').set_pattern("<%*>%&");
    } else {
        formatter->add_flag<escaped_payload>('&').set_pattern("%Y-%m-%d %H:%M:%S.%e %-5l %&");
    }
    logger->set_formatter(std::move(formatter));
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(std::move(logger));
    set_log_level(level);
}

void set_log_level(std::string_view level) {
    const auto lvl = spdlog::level::from_str(std::string(level == "warn" ? "warning" : level));
    if (lvl != spdlog::level::off) spdlog::set_level(lvl);
}

}  // namespace dpmon::daemon
