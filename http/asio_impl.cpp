// Separate compilation: Asio and Beast are compiled here once instead of in every file that uses them
// (BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION are set for all targets).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
