#pragma once
// Settings, whoever owns them. Core reads its sections (config.cpp) and each module reads
// its own in its constructor, through the same rows: where a setting lives in the JSON
// file, its SHOPD_* variable, its type and range, and where to store it. Sources, later
// winning: the file, the environment, command-line flags. A bad value is a ConfigError
// naming the setting (start-up prints one line and exits 2); so is a file key or flag that
// no row read, once every module is composed (check_unread).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace shop::core {

class ConfigError : public std::runtime_error {
public:
    ConfigError(std::string setting, std::string message);
    const std::string& setting() const { return setting_; }

private:
    std::string setting_;
};

// Flags given on the command line, as setting path -> text ("server.port" -> "9090").
using Overrides = std::map<std::string, std::string>;
// Environment as name -> value; main passes the real one, tests their own.
using Environment = std::map<std::string, std::string>;

enum class SettingKind { Int, Number, String, StringList, Bool };
using SettingValue = std::variant<std::int64_t, double, std::string, std::vector<std::string>, bool>;

// One setting. min/max bound a number, or the length of a string.
struct Setting {
    std::string path;  // "section.key" in the file, or a top-level key ("db")
    std::string env;   // its environment variable, or empty
    SettingKind kind = SettingKind::String;
    double min = 0;
    double max = 0;
    std::function<void(const SettingValue&)> store;

    static Setting integer(std::string path, std::string env, double min, double max, int& into);
    static Setting integer(std::string path, std::string env, double min, double max, std::int64_t& into);
    static Setting number(std::string path, std::string env, double min, double max, double& into);
    static Setting text(std::string path, std::string env, double min_len, double max_len, std::string& into);
    static Setting list(std::string path, std::string env, std::vector<std::string>& into);
    // true/false in the file; true, false, 1 or 0 in the environment and flags.
    static Setting boolean(std::string path, std::string env, bool& into);

    // "auth.jwt_secret (SHOPD_JWT_SECRET)": how errors name it.
    std::string label() const;
};

class Settings {
public:
    // No sources: every setting keeps its default.
    Settings();
    // file_text: the JSON file's text, or nullopt when there is none. ConfigError when it
    // is not a JSON object.
    Settings(const std::optional<std::string>& file_text, std::string file_name, Environment env, Overrides flags);
    ~Settings();
    Settings(const Settings&) = delete;
    Settings& operator=(const Settings&) = delete;

    // Stores every row's value found in the sources (later sources win) and remembers the
    // rows as read. Rows not given anywhere keep what their target holds.
    void read(const std::vector<Setting>& rows);
    // Adds a flag: what `--db x` does, and how tests give a module a setting.
    void set(const std::string& path, std::string text);
    // ConfigError for the first file key or flag that no read() row claimed.
    void check_unread() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace shop::core
