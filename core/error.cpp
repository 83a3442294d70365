#include "dpmon/core/error.hpp"

#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

namespace dpmon {
namespace {

class category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "dpmon"; }
    std::string message(int value) const override {
        switch (static_cast<errc>(value)) {
            case errc::success: return "success";
            case errc::invalid_argument: return "invalid argument";
            case errc::amount_invalid: return "not a money amount";
            case errc::amount_overflow: return "amount out of range";
            case errc::date_invalid: return "not a valid date";
            case errc::config_invalid: return "invalid configuration";
            case errc::io_error: return "input/output error";
            case errc::database_error: return "database error";
            case errc::database_corrupt: return "database is corrupt";
            case errc::schema_too_new: return "database schema is newer than this program";
            case errc::not_found: return "not found";
            case errc::conflict: return "conflict";
            case errc::cancelled: return "cancelled";
            case errc::disk_full: return "no space left on the disk";
            case errc::file_changed: return "the file changed while it was read";
            case errc::timed_out: return "the query ran past its time limit";
        }
        return "unknown dpmon error";
    }
};

}  // namespace

const boost::system::error_category& dpmon_category() noexcept {
    static const category instance;
    return instance;
}

boost::system::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), dpmon_category()};
}

error make_error(errc code, std::string message) { return error{make_error_code(code), std::move(message)}; }

void throw_exception_from_error(const error& e, const boost::source_location& loc) {
    boost::throw_exception(boost::system::system_error(e.code, e.message), loc);
}

}  // namespace dpmon
