#include "mail_template.hpp"

#include <stdexcept>
#include <vector>

namespace shop::user {

using nlohmann::json;

namespace mail {
extern const std::string_view kOrderPaidText;
extern const std::string_view kOrderPaidHtml;
extern const std::string_view kShipmentCreatedText;
extern const std::string_view kShipmentCreatedHtml;
extern const std::string_view kReturnReceivedText;
extern const std::string_view kReturnReceivedHtml;
extern const std::string_view kPasswordResetText;
extern const std::string_view kPasswordResetHtml;
}  // namespace mail

namespace {

using Scopes = std::vector<const json*>;

const json* lookup(const Scopes& scopes, const std::string& name) {
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it)
        if ((*it)->is_object())
            if (auto f = (*it)->find(name); f != (*it)->end()) return &*f;
    return nullptr;
}

bool truthy(const json* v) {
    if (!v || v->is_null()) return false;
    if (v->is_boolean()) return v->get<bool>();
    if (v->is_string()) return !v->get_ref<const std::string&>().empty();
    if (v->is_array() || v->is_object()) return !v->empty();
    return true;
}

std::string scalar(const json& v, const std::string& name) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
    if (v.is_null()) return "";
    throw std::invalid_argument("template value " + name + " is not text");
}

// The position of the {{/name}} that closes a section opened before `from`.
std::size_t section_end(std::string_view tpl, std::size_t from, const std::string& name) {
    int depth = 1;
    std::size_t pos = from;
    for (;;) {
        std::size_t open = tpl.find("{{", pos);
        if (open == std::string_view::npos) throw std::invalid_argument("template section " + name + " is not closed");
        std::size_t close = tpl.find("}}", open);
        if (close == std::string_view::npos) throw std::invalid_argument("template tag is not closed");
        std::string_view tag = tpl.substr(open + 2, close - open - 2);
        if ((tag.starts_with('#') || tag.starts_with('^')) && tag.substr(1) == name) ++depth;
        if (tag.starts_with('/') && tag.substr(1) == name && --depth == 0) return open;
        pos = close + 2;
    }
}

void render(std::string_view tpl, Scopes& scopes, Markup markup, std::string& out) {
    std::size_t pos = 0;
    while (pos < tpl.size()) {
        std::size_t open = tpl.find("{{", pos);
        if (open == std::string_view::npos) {
            out.append(tpl.substr(pos));
            return;
        }
        out.append(tpl.substr(pos, open - pos));
        std::size_t close = tpl.find("}}", open);
        if (close == std::string_view::npos) throw std::invalid_argument("template tag is not closed");
        std::string_view tag = tpl.substr(open + 2, close - open - 2);
        pos = close + 2;
        if (tag.empty()) throw std::invalid_argument("empty template tag");
        const char kind = tag.front();
        if (kind == '/') throw std::invalid_argument("template section " + std::string(tag.substr(1)) + " closed twice");
        if (kind != '#' && kind != '^') {
            const std::string name(tag);
            const json* v = lookup(scopes, name);
            if (!v) throw std::invalid_argument("template value " + name + " is missing");
            const std::string text = scalar(*v, name);
            out += markup == Markup::Html ? escape_html(text) : text;
            continue;
        }
        const std::string name(tag.substr(1));
        const std::size_t end = section_end(tpl, pos, name);
        const std::string_view inner = tpl.substr(pos, end - pos);
        pos = end + name.size() + 5;  // past {{/name}}
        const json* v = lookup(scopes, name);
        if (kind == '^') {
            if (!truthy(v)) render(inner, scopes, markup, out);
        } else if (v && v->is_array()) {
            for (const auto& element : *v) {
                scopes.push_back(&element);
                render(inner, scopes, markup, out);
                scopes.pop_back();
            }
        } else if (truthy(v)) {
            render(inner, scopes, markup, out);
        }
    }
}

struct Pair {
    std::string_view name;
    std::string_view text;
    std::string_view html;
};

const Pair* find_pair(std::string_view name) {
    static const Pair kPairs[] = {
        {"order_paid", mail::kOrderPaidText, mail::kOrderPaidHtml},
        {"shipment_created", mail::kShipmentCreatedText, mail::kShipmentCreatedHtml},
        {"return_received", mail::kReturnReceivedText, mail::kReturnReceivedHtml},
        {"password_reset", mail::kPasswordResetText, mail::kPasswordResetHtml},
    };
    for (const auto& p : kPairs)
        if (p.name == name) return &p;
    return nullptr;
}

}  // namespace

std::string escape_html(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string render_template(std::string_view tpl, const json& data, Markup markup) {
    Scopes scopes{&data};
    std::string out;
    render(tpl, scopes, markup, out);
    return out;
}

RenderedMail render_mail(std::string_view name, const json& data) {
    const Pair* p = find_pair(name);
    if (!p) throw std::invalid_argument("no mail template " + std::string(name));
    std::string text = render_template(p->text, data, Markup::Text);
    constexpr std::string_view kSubject = "Subject: ";
    const std::size_t eol = text.find('\n');
    if (!text.starts_with(kSubject) || eol == std::string::npos)
        throw std::invalid_argument("mail template " + std::string(name) + " does not start with its subject");
    RenderedMail m;
    m.subject = text.substr(kSubject.size(), eol - kSubject.size());
    std::size_t body = eol + 1;
    while (body < text.size() && text[body] == '\n') ++body;
    m.text = text.substr(body);
    m.html = render_template(p->html, data, Markup::Html);
    return m;
}

}  // namespace shop::user
