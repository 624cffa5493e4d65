// Boost.URL's compiled part, built into shopd itself: Debian ships the headers with Boost
// but the library in a package of its own, and one translation unit is all it takes.
#include <boost/url/src.hpp>
