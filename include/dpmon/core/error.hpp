#pragma once
// The project's error vocabulary: dpmon::errc as a Boost.System category, and result<T> for every
// fallible call at a module boundary. An error carries a code (for programs) and a message (for people)
// that names the file, line, field or key involved and says what to do.

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <ostream>
#include <string>
#include <type_traits>

namespace dpmon {

enum class errc {
    success = 0,
    invalid_argument = 1,  // a value from a caller or a user is malformed
    amount_invalid,        // text that is not a money amount
    amount_overflow,       // an amount or a sum does not fit in int64 pence
    date_invalid,          // text that is not a civil date, or a date that does not exist
    config_invalid,        // the config file cannot be parsed, or a key or value in it is wrong
    io_error,              // a file or folder could not be read, written or created
    database_error,        // SQLite reported an error (the message has SQLite's text)
    database_corrupt,      // the database file is damaged or is not a database
    schema_too_new,        // the database was written by a newer dpmon
    not_found,             // the thing asked for does not exist
    conflict,              // the request contradicts the stored state
    cancelled,             // the work was stopped before it finished (nothing of it was kept)
    disk_full,             // no space left for the database or a file (SQLITE_FULL, ENOSPC)
    file_changed,          // a file changed while it was read (still being written): nothing of it was kept
    timed_out,             // a query ran past its time limit and was interrupted (nothing of it was kept)
};

const boost::system::error_category& dpmon_category() noexcept;
boost::system::error_code make_error_code(errc e) noexcept;

// An error for a person as well as a program: `message` is complete on its own.
struct error {
    boost::system::error_code code;
    std::string message;
};

error make_error(errc code, std::string message);

// Writes the message (for test output and logs).
inline std::ostream& operator<<(std::ostream& os, const error& e) { return os << e.message; }

// Called by result<T>::value() when it holds an error; throws boost::system::system_error.
[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& loc);

template <class T>
using result = boost::system::result<T, error>;

}  // namespace dpmon

template <>
struct boost::system::is_error_code_enum<dpmon::errc> : std::true_type {};
