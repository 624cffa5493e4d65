#pragma once
// The mails' templates: files in modules/user/mail/ compiled into the binary. A small
// subset of Mustache:
//   {{name}}                  the value (a string or number); escaped in HTML templates
//   {{#name}}...{{/name}}     for each element of an array of objects, or once when the
//                             value is true, a non-empty string or a number
//   {{^name}}...{{/name}}     once when the value is missing, null, false, "" or []
// Names are looked up in the innermost list element first, then outwards. A {{name}} that
// is nowhere is an error (std::invalid_argument), so a misspelt name cannot slip out.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace shop::user {

enum class Markup { Text, Html };

std::string render_template(std::string_view tpl, const nlohmann::json& data, Markup markup);
// & < > " ' as character references.
std::string escape_html(std::string_view s);

// One mail's rendered parts. A text template's first line is "Subject: ...", then a blank line.
struct RenderedMail {
    std::string subject;
    std::string text;
    std::string html;
};
// `name`: order_paid, shipment_created, return_received or password_reset;
// std::invalid_argument for another name or a template that does not render.
RenderedMail render_mail(std::string_view name, const nlohmann::json& data);

}  // namespace shop::user
