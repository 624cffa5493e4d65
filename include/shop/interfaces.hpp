#pragma once
// The interfaces modules lend one another (include/shop/api/*), found by type. A module
// offers and asks for interfaces in its constructor, so what a module offers and needs is
// written in one place and recorded here:
//   need<I>()        an interface a module composed earlier offers; a CompositionError
//                    names both when none does.
//   need_later<I>()  one a module composed later may offer (order -> payments, whose
//                    module needs orders first): filled in when composition ends.
// seal() ends composition: every later need must be met by then, or start-up stops with a
// CompositionError naming the module and the interface. No setter is left to forget.
#include <fmt/format.h>

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

namespace shop {

class CompositionError : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

// An interface resolved when composition ends; dereference it only after that (at request
// time, in start() or in jobs()).
template <class I>
class Later {
public:
    I& operator*() const { return **slot_; }
    I* operator->() const { return *slot_; }
    bool resolved() const { return slot_ && *slot_; }

private:
    friend class Interfaces;
    std::shared_ptr<I*> slot_ = std::make_shared<I*>(nullptr);
};

class Interfaces {
public:
    struct Declaration {
        std::string module;
        std::string interface;
        enum Kind { Offers, Needs, NeedsLater } kind;
    };

    template <class I>
    void offer(std::string_view module, I& impl) {
        auto [it, fresh] = offered_.try_emplace(std::type_index(typeid(I)), Offer{static_cast<void*>(&impl), std::string(module)});
        if (!fresh)
            throw CompositionError(fmt::format("module {} offers interface {}, already offered by module {}", module,
                                               I::kInterface, it->second.module));
        declared_.push_back({std::string(module), std::string(I::kInterface), Declaration::Offers});
    }

    template <class I>
    I& need(std::string_view module) {
        declared_.push_back({std::string(module), std::string(I::kInterface), Declaration::Needs});
        auto it = offered_.find(std::type_index(typeid(I)));
        if (it == offered_.end())
            throw CompositionError(fmt::format("module {} needs interface {}, which no module composed before it offers",
                                               module, I::kInterface));
        return *static_cast<I*>(it->second.impl);
    }

    template <class I>
    Later<I> need_later(std::string_view module) {
        declared_.push_back({std::string(module), std::string(I::kInterface), Declaration::NeedsLater});
        Later<I> later;
        if (sealed_) throw CompositionError("need_later after composition ended");
        pending_.push_back({std::type_index(typeid(I)), std::string(module), std::string(I::kInterface),
                            [slot = later.slot_](void* impl) { *slot = static_cast<I*>(impl); }});
        return later;
    }

    // Ends composition: fills every Later, or throws for the first need no module offers.
    void seal() {
        for (const auto& p : pending_) {
            auto it = offered_.find(p.type);
            if (it == offered_.end())
                throw CompositionError(
                    fmt::format("module {} needs interface {}, which no composed module offers", p.module, p.name));
            p.fill(it->second.impl);
        }
        pending_.clear();
        sealed_ = true;
    }

    // Every offer and need in the order they were made (docs, tests).
    const std::vector<Declaration>& declarations() const { return declared_; }

private:
    struct Offer {
        void* impl;
        std::string module;
    };
    struct Pending {
        std::type_index type;
        std::string module;
        std::string name;
        std::function<void(void*)> fill;
    };
    std::map<std::type_index, Offer> offered_;
    std::vector<Pending> pending_;
    std::vector<Declaration> declared_;
    bool sealed_ = false;
};

}  // namespace shop
