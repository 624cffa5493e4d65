#include "db/postgres/conninfo.hpp"

#include <libpq-fe.h>

namespace shop::db::postgres {

std::optional<std::string> password_of(std::string_view conninfo) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(std::string(conninfo).c_str(), &error);
    if (error) PQfreemem(error);
    if (!options) return std::nullopt;
    std::optional<std::string> password;
    for (PQconninfoOption* o = options; o->keyword; ++o)
        if (std::string_view(o->keyword) == "password" && o->val) password = o->val;
    PQconninfoFree(options);
    return password;
}

}  // namespace shop::db::postgres
