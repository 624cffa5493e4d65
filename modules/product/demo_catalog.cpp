#include "demo_catalog.hpp"

#include <fmt/format.h>

#include <array>
#include <span>
#include <string_view>

namespace shop::product {

namespace {

using Words = std::span<const std::string_view>;

// splitmix64: tiny, fast, and defined bit for bit, unlike std::uniform_int_distribution.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Inclusive; the modulo bias is irrelevant for demo data.
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    std::string_view pick(Words w) { return w[static_cast<std::size_t>(between(0, std::ssize(w) - 1))]; }
    bool chance(int percent) { return between(1, 100) <= percent; }

private:
    std::uint64_t state_;
};

enum class Kind { Goods, Apparel, Book };

struct CategorySpec {
    std::string_view key;  // also the sku prefix
    std::string_view name;
    std::string_view parent;  // empty: top level
    Kind kind;
    std::int64_t min_dollars;
    std::int64_t max_dollars;
    Words adjectives;
    Words nouns;
    Words materials;
    std::int64_t min_grams = 100;  // shipping weight
    std::int64_t max_grams = 2000;
    bool ingredients = false;  // "with shea butter" rather than "made of steel", and no colour
};

constexpr std::string_view kBrands[] = {"Northwind", "Auralis",  "Kestrel",     "Lumen & Oak", "Vantage",
                                        "Blue Fern", "Ironbark", "Sola",        "Meridian",    "Pinecrest",
                                        "Corvid",    "Halden",   "Tidewater",   "Everly",      "Björnvik",
                                        "Café Noir", "Quill",    "Summit Line", "Maple Row",   "Atlas"};
constexpr std::string_view kColors[] = {"Black", "White",    "Slate Gray", "Navy",  "Forest Green", "Crimson",
                                        "Sand",  "Sky Blue", "Charcoal",   "Olive", "Burgundy",     "Ivory"};
constexpr std::string_view kModels[] = {"Pro", "Mini", "Max", "Lite", "II", "S", "Plus", "X"};
constexpr std::string_view kSizes[] = {"XS", "S", "M", "L", "XL", "XXL"};
constexpr std::string_view kShoeSizes[] = {"38", "39", "40", "41", "42", "43", "44", "45"};
constexpr std::string_view kFeatures[] = {
    "Built to last and backed by a two-year warranty.",
    "Designed in small batches and tested for everyday use.",
    "Ships in recyclable, plastic-free packaging.",
    "Easy to clean and simple to store.",
    "A customer favourite for gifting.",
    "Thoughtful details you notice from the first day.",
    "Made with responsibly sourced materials.",
    "Covered by free returns within 30 days.",
    "Lightweight enough to take anywhere.",
    "Rated highly by reviewers for value and comfort.",
};
constexpr std::string_view kFirstNames[] = {"Amara", "Jonas",  "Lena", "Mateo", "Priya", "Oskar",
                                            "Chloé", "Tomasz", "Yuki", "Nadia", "Elias", "Ruth"};
constexpr std::string_view kLastNames[] = {"Okafor",  "Lindqvist", "Moreau",   "Castillo", "Haddad",  "Novak",
                                           "Brennan", "Sato",      "Ferreira", "Kowalski", "Adeyemi", "Walsh"};
constexpr std::string_view kTitleAdjectives[] = {"Silent", "Last",   "Hidden", "Golden", "Winter",  "Distant",
                                                 "Broken", "Secret", "Wild",   "Quiet",  "Burning", "Endless"};
constexpr std::string_view kTitleNouns[] = {"Harbor", "Garden", "Orchard", "River",  "Lighthouse", "Kingdom",
                                            "Letter", "Summer", "Archive", "Island", "Map",        "Station"};
constexpr std::string_view kTopics[] = {"Sourdough",   "Habits",       "Small Gardens", "Personal Finance",
                                        "Stoicism",    "Birdwatching", "Clear Writing", "Urban Cycling",
                                        "Negotiation", "Sleep",        "The Ocean",     "Home Repair"};
constexpr std::string_view kBookKinds[] = {"A Practical Guide",     "A Short History", "A Field Guide",
                                           "Lessons from Practice", "An Introduction", "The Essentials"};

constexpr std::string_view kElecAdj[] = {"Fast", "Compact", "Slim", "Smart", "Portable", "Dual-Port"};
constexpr std::string_view kElecNoun[] = {"USB-C Charger", "Power Bank",      "Smart Plug",
                                          "HDMI Cable",    "Surge Protector", "Smart Watch"};
constexpr std::string_view kElecMat[] = {"aluminium", "recycled plastic", "braided nylon"};
constexpr std::string_view kAudioAdj[] = {"Wireless", "Hi-Fi", "Compact", "Waterproof", "Retro"};
constexpr std::string_view kAudioNoun[] = {"Bluetooth Speaker", "Soundbar", "Turntable", "Portable Radio",
                                           "Studio Monitor"};
constexpr std::string_view kAudioMat[] = {"walnut veneer", "aluminium", "fabric-wrapped steel"};
constexpr std::string_view kPhonesAdj[] = {"Noise-Cancelling", "Wireless", "Studio", "Lightweight", "True Wireless"};
constexpr std::string_view kPhonesNoun[] = {"Over-Ear Headphones", "Earbuds", "On-Ear Headphones", "Gaming Headset",
                                            "Sport Earphones"};
constexpr std::string_view kPhonesMat[] = {"memory foam and aluminium", "silicone", "protein leather"};
constexpr std::string_view kCompAdj[] = {"Ergonomic", "Aluminium", "Low-Profile", "Backlit", "Quiet"};
constexpr std::string_view kCompNoun[] = {"Mechanical Keyboard", "Wireless Mouse", "Laptop Stand", "USB Hub", "Webcam",
                                          "Monitor Arm",         "External SSD"};
constexpr std::string_view kCompMat[] = {"anodised aluminium", "ABS plastic", "steel"};
constexpr std::string_view kMobileAdj[] = {"Rugged", "Slim", "Magnetic", "Clear", "Leather"};
constexpr std::string_view kMobileNoun[] = {"Phone Case", "Tablet Sleeve",         "Screen Protector",
                                            "Car Mount",  "Wireless Charging Pad", "Stylus"};
constexpr std::string_view kMobileMat[] = {"tempered glass", "TPU", "full-grain leather"};
constexpr std::string_view kHomeAdj[] = {"Woven", "Cozy", "Minimalist", "Handmade", "Rustic"};
constexpr std::string_view kHomeNoun[] = {"Storage Basket", "Throw Blanket",  "Wall Clock",
                                          "Doormat",        "Laundry Hamper", "Scented Candle"};
constexpr std::string_view kHomeMat[] = {"seagrass", "wool", "soy wax", "cotton", "beech wood"};
constexpr std::string_view kCookAdj[] = {"Cast Iron", "Nonstick", "Stainless Steel", "Enameled", "Carbon Steel"};
constexpr std::string_view kCookNoun[] = {"Frying Pan",    "Dutch Oven", "Saucepan",    "Chef's Knife",
                                          "Cutting Board", "Stock Pot",  "Baking Sheet"};
constexpr std::string_view kCookMat[] = {"cast iron", "tri-ply stainless steel", "carbon steel", "acacia wood"};
constexpr std::string_view kFurnAdj[] = {"Oak", "Walnut", "Mid-Century", "Folding", "Upholstered"};
constexpr std::string_view kFurnNoun[] = {"Bookshelf",     "Side Table", "Desk Chair",
                                          "Floor Cushion", "Bar Stool",  "Coffee Table"};
constexpr std::string_view kFurnMat[] = {"solid oak", "walnut", "powder-coated steel", "linen"};
constexpr std::string_view kLightAdj[] = {"LED", "Dimmable", "Brass", "Arc", "Rechargeable"};
constexpr std::string_view kLightNoun[] = {"Desk Lamp",     "Floor Lamp",  "Pendant Light",
                                           "String Lights", "Night Light", "Wall Sconce"};
constexpr std::string_view kLightMat[] = {"brass", "opal glass", "ceramic", "rattan"};
constexpr std::string_view kClothAdj[] = {"Merino", "Knitted", "Leather", "Organic Cotton", "Thermal"};
constexpr std::string_view kClothNoun[] = {"Scarf", "Beanie", "Gloves", "Belt", "Socks (3-Pack)"};
constexpr std::string_view kClothMat[] = {"merino wool", "organic cotton", "full-grain leather", "cashmere blend"};
constexpr std::string_view kMenAdj[] = {"Slim-Fit", "Classic", "Relaxed", "Waterproof", "Linen"};
constexpr std::string_view kMenNoun[] = {"Oxford Shirt", "Chinos",     "Crew Sweater",
                                         "Rain Jacket",  "Polo Shirt", "Denim Jacket"};
constexpr std::string_view kWomenAdj[] = {"Tailored", "Classic", "Relaxed", "Belted", "Linen"};
constexpr std::string_view kWomenNoun[] = {"Wrap Dress", "Cardigan",        "Trench Coat",
                                           "Blouse",     "High-Rise Jeans", "Puffer Vest"};
constexpr std::string_view kApparelMat[] = {"organic cotton", "linen", "recycled polyester", "wool blend", "denim"};
constexpr std::string_view kShoeAdj[] = {"Cushioned", "Waterproof", "Classic", "Trail", "Everyday"};
constexpr std::string_view kShoeNoun[] = {"Running Shoes", "Leather Boots",   "Canvas Sneakers",
                                          "Hiking Boots",  "Slip-On Loafers", "Sandals"};
constexpr std::string_view kShoeMat[] = {"suede", "canvas", "full-grain leather", "recycled mesh"};
constexpr std::string_view kSportAdj[] = {"Insulated", "Quick-Dry", "Weighted", "Compact"};
constexpr std::string_view kSportNoun[] = {"Water Bottle", "Gym Bag", "Jump Rope", "Sports Towel"};
constexpr std::string_view kSportMat[] = {"stainless steel", "ripstop nylon", "microfibre"};
constexpr std::string_view kCampAdj[] = {"Ultralight", "All-Season", "Packable", "Waterproof"};
constexpr std::string_view kCampNoun[] = {"2-Person Tent", "Sleeping Bag", "Trekking Poles",
                                          "Headlamp",      "Camp Stove",   "Daypack"};
constexpr std::string_view kCampMat[] = {"ripstop nylon", "carbon fibre", "titanium", "recycled down"};
constexpr std::string_view kFitAdj[] = {"Non-Slip", "Adjustable", "Heavy-Duty", "Foldable"};
constexpr std::string_view kFitNoun[] = {"Yoga Mat",    "Adjustable Dumbbells", "Resistance Bands",
                                         "Foam Roller", "Kettlebell",           "Pull-Up Bar"};
constexpr std::string_view kFitMat[] = {"natural rubber", "cast iron", "EVA foam", "steel"};
constexpr std::string_view kCycleAdj[] = {"Aero", "Reflective", "Commuter", "Lightweight"};
constexpr std::string_view kCycleNoun[] = {"Bike Helmet", "Bike Light Set", "Cycling Gloves",
                                           "Bike Lock",   "Saddle Bag",     "Floor Pump"};
constexpr std::string_view kCycleMat[] = {"polycarbonate", "hardened steel", "aluminium"};
constexpr std::string_view kToyAdj[] = {"Classic", "Wooden", "Family", "Cooperative", "Travel"};
constexpr std::string_view kToyNoun[] = {
    "Board Game", "Jigsaw Puzzle (1000 pieces)", "Building Blocks Set", "Plush Bear", "Train Set", "Card Game"};
constexpr std::string_view kToyMat[] = {"beech wood", "recycled cardboard", "soft plush"};
constexpr std::string_view kBeautyAdj[] = {"Hydrating", "Unscented", "Vegan", "Gentle", "Daily"};
constexpr std::string_view kBeautyNoun[] = {"Face Moisturizer", "Lip Balm",   "Shampoo",
                                            "Body Wash",        "Hand Cream", "Sunscreen SPF 50"};
constexpr std::string_view kBeautyMat[] = {"shea butter", "aloe vera", "oat extract"};
constexpr std::string_view kGardenAdj[] = {"Ergonomic", "Galvanised", "Self-Watering", "Expandable"};
constexpr std::string_view kGardenNoun[] = {"Pruning Shears", "Watering Can", "Raised Garden Bed",
                                            "Garden Hose",    "Plant Pot",    "Bird Feeder"};
constexpr std::string_view kGardenMat[] = {"galvanised steel", "terracotta", "cedar wood"};
constexpr std::string_view kNone[] = {""};

const std::array<CategorySpec, 23> kCategories = {{
    {"ELEC", "Electronics", "", Kind::Goods, 9, 149, kElecAdj, kElecNoun, kElecMat, 40, 900},
    {"AUDIO", "Audio", "ELEC", Kind::Goods, 24, 599, kAudioAdj, kAudioNoun, kAudioMat, 300, 6000},
    {"HEAD", "Headphones", "AUDIO", Kind::Goods, 19, 399, kPhonesAdj, kPhonesNoun, kPhonesMat, 20, 450},
    {"COMP", "Computers & Accessories", "ELEC", Kind::Goods, 14, 249, kCompAdj, kCompNoun, kCompMat, 60, 2500},
    {"MOBI", "Phones & Tablets", "ELEC", Kind::Goods, 7, 89, kMobileAdj, kMobileNoun, kMobileMat, 15, 350},
    {"HOME", "Home & Kitchen", "", Kind::Goods, 9, 79, kHomeAdj, kHomeNoun, kHomeMat, 150, 3000},
    {"COOK", "Cookware", "HOME", Kind::Goods, 12, 299, kCookAdj, kCookNoun, kCookMat, 300, 6000},
    {"FURN", "Furniture", "HOME", Kind::Goods, 49, 899, kFurnAdj, kFurnNoun, kFurnMat, 2500, 30000},
    {"LIGHT", "Lighting", "HOME", Kind::Goods, 14, 199, kLightAdj, kLightNoun, kLightMat, 200, 6000},
    {"CLOTH", "Clothing", "", Kind::Goods, 9, 59, kClothAdj, kClothNoun, kClothMat, 50, 600},
    {"MEN", "Men", "CLOTH", Kind::Apparel, 24, 199, kMenAdj, kMenNoun, kApparelMat, 200, 1500},
    {"WOMEN", "Women", "CLOTH", Kind::Apparel, 24, 229, kWomenAdj, kWomenNoun, kApparelMat, 150, 1500},
    {"SHOE", "Shoes", "CLOTH", Kind::Apparel, 39, 219, kShoeAdj, kShoeNoun, kShoeMat, 300, 1800},
    {"SPORT", "Sports & Outdoors", "", Kind::Goods, 9, 69, kSportAdj, kSportNoun, kSportMat, 100, 1200},
    {"CAMP", "Camping & Hiking", "SPORT", Kind::Goods, 19, 399, kCampAdj, kCampNoun, kCampMat, 90, 4000},
    {"FIT", "Fitness", "SPORT", Kind::Goods, 9, 299, kFitAdj, kFitNoun, kFitMat, 300, 20000},
    {"CYCLE", "Cycling", "SPORT", Kind::Goods, 14, 149, kCycleAdj, kCycleNoun, kCycleMat, 150, 1500},
    {"BOOK", "Books", "", Kind::Book, 8, 34, kNone, kNone, kNone, 150, 900},
    {"FICT", "Fiction", "BOOK", Kind::Book, 8, 29, kNone, kNone, kNone, 150, 900},
    {"NONF", "Non-fiction", "BOOK", Kind::Book, 12, 39, kNone, kNone, kNone, 200, 1200},
    {"TOY", "Toys & Games", "", Kind::Goods, 9, 79, kToyAdj, kToyNoun, kToyMat, 100, 2500},
    {"BEAUTY", "Beauty", "", Kind::Goods, 4, 49, kBeautyAdj, kBeautyNoun, kBeautyMat, 15, 500, true},
    {"GARDEN", "Garden", "", Kind::Goods, 9, 149, kGardenAdj, kGardenNoun, kGardenMat, 150, 15000},
}};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Prices end the way shop prices do: 23.99, 23.49 or 24.00.
std::int64_t price_cents(Rng& rng, const CategorySpec& spec) {
    static constexpr std::int64_t kLessBy[] = {1, 1, 1, 51, 0};
    return rng.between(spec.min_dollars, spec.max_dollars) * 100 - kLessBy[rng.between(0, 4)];
}

// Most items are well stocked; some run low and a few are sold out, so the dashboard's
// low-stock view has something to show.
std::int64_t stock_level(Rng& rng) {
    int roll = static_cast<int>(rng.between(1, 100));
    if (roll <= 6) return 0;
    if (roll <= 20) return rng.between(1, 9);
    return rng.between(10, 400);
}

std::string two_features(Rng& rng) {
    auto a = rng.between(0, std::ssize(kFeatures) - 1);
    auto b = (a + rng.between(1, std::ssize(kFeatures) - 1)) % std::ssize(kFeatures);
    return fmt::format("{} {}", kFeatures[a], kFeatures[b]);
}

DemoProduct book(Rng& rng, const CategorySpec& spec) {
    DemoProduct p;
    std::string author = fmt::format("{} {}", rng.pick(kFirstNames), rng.pick(kLastNames));
    bool non_fiction = spec.key == "NONF" || (spec.key == "BOOK" && rng.chance(50));
    if (non_fiction) {
        std::string_view topic = rng.pick(kTopics);
        p.name = fmt::format("{}: {}", topic, rng.pick(kBookKinds));
        p.description = fmt::format("{} explains {} in plain language, with examples from {} years of practice. {}",
                                    author, lower(topic), rng.between(5, 30), two_features(rng));
    } else {
        p.name = fmt::format("The {} {}", rng.pick(kTitleAdjectives), rng.pick(kTitleNouns));
        p.description =
            fmt::format("A novel by {}: a family, a secret, and one long summer that changes everything. {}", author,
                        two_features(rng));
    }
    p.attributes = {{"author", author},
                    {"pages", rng.between(120, 640)},
                    {"format", rng.chance(60) ? "Paperback" : "Hardcover"},
                    {"weight_g", rng.between(spec.min_grams, spec.max_grams)}};
    return p;
}

DemoProduct goods(Rng& rng, const CategorySpec& spec) {
    DemoProduct p;
    std::string_view brand = rng.pick(kBrands);
    std::string_view adjective = rng.pick(spec.adjectives);
    std::string_view noun = rng.pick(spec.nouns);
    std::string_view material = rng.pick(spec.materials);
    p.name = fmt::format("{} {} {}", brand, adjective, noun);
    if (rng.chance(35)) p.name += fmt::format(" {}", rng.pick(kModels));
    if (spec.ingredients) {
        p.description = fmt::format("A {} {} from {}, with {}. {}", lower(adjective), lower(noun), brand, material,
                                    two_features(rng));
        p.attributes = {{"brand", brand}, {"key_ingredient", material}};
    } else {
        std::string_view color = rng.pick(kColors);
        p.description = fmt::format("A {} {} from {}, made of {}, in {}. {}", lower(adjective), lower(noun), brand,
                                    material, lower(color), two_features(rng));
        p.attributes = {{"brand", brand}, {"color", color}, {"material", material}};
    }
    if (spec.kind == Kind::Apparel) p.attributes["size"] = spec.key == "SHOE" ? rng.pick(kShoeSizes) : rng.pick(kSizes);
    p.attributes["weight_g"] = rng.between(spec.min_grams, spec.max_grams);
    return p;
}

std::string sku_part(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c != ' ') out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    return out;
}

// Most clothes and shoes come in sizes and colours (section 9): a run of consecutive sizes
// times two or three colours, each combination a variant with its own sku and stock; the
// largest sizes cost a little more. Drawn from their own generator, so the rest of the
// catalogue is the same as before variants existed.
void add_options(DemoProduct& p, const CategorySpec& spec, std::uint64_t seed) {
    Rng rng(seed);
    if (!rng.chance(60)) return;
    const Words sizes = spec.key == "SHOE" ? Words(kShoeSizes) : Words(kSizes);
    const auto count = rng.between(3, std::min<std::int64_t>(5, std::ssize(sizes)));
    const auto first = rng.between(0, std::ssize(sizes) - count);
    nlohmann::json size_values = nlohmann::json::array(), colour_values = nlohmann::json::array();
    for (auto i = first; i < first + count; ++i) size_values.push_back(sizes[static_cast<std::size_t>(i)]);
    const auto colours = rng.between(2, 3);
    auto c = rng.between(0, std::ssize(kColors) - 1);
    for (int i = 0; i < colours; ++i) colour_values.push_back(kColors[static_cast<std::size_t>((c + i * 5) % std::ssize(kColors))]);
    p.options = {{{"name", "Size"}, {"values", size_values}}, {{"name", "Colour"}, {"values", colour_values}}};
    for (const auto& size : size_values)
        for (const auto& colour : colour_values) {
            const std::string s = size.get<std::string>();
            const bool large = s == "XL" || s == "XXL" || s == "45";
            p.variants.push_back({fmt::format("{}-{}-{}", p.sku, s, sku_part(colour.get<std::string>())),
                                  {{"Size", s}, {"Colour", colour}},
                                  large ? p.price + p.price / 10 : p.price,
                                  rng.between(0, 3) == 0 ? 0 : rng.between(1, 30)});
        }
    p.attributes.erase("size");
    p.attributes.erase("color");
    p.stock = 0;
    for (const auto& v : p.variants) p.stock += v.stock;
}

// One product written by hand, the newest: what the storefront's walkthrough buys (issue 20:
// a T-shirt in size M, as a guest, with the code WELCOME10 the order module adds under
// --demo), so a person can try it on a fresh --demo shop with no admin step.
DemoProduct demo_tee() {
    DemoProduct p;
    p.sku = "DEMO-TEE";
    p.name = "Everyday Crew-Neck T-Shirt";
    p.description = "A soft crew-neck T-shirt of organic cotton jersey, cut for every day.";
    p.price = 1900;
    p.category_key = "MEN";
    p.attributes = {{"material", "organic cotton"}};
    p.images = {"https://images.example.com/demo/demo-tee-1.jpg"};
    p.age_ms = 30 * 60 * 1000;  // half an hour old: newer than every generated product
    p.options = {{{"name", "Size"}, {"values", {"S", "M", "L", "XL"}}}, {{"name", "Colour"}, {"values", {"Navy", "White"}}}};
    for (const char* size : {"S", "M", "L", "XL"})
        for (const char* colour : {"Navy", "White"}) {
            const bool xl = std::string_view(size) == "XL";
            p.variants.push_back({fmt::format("DEMO-TEE-{}-{}", size, sku_part(colour)),
                                  {{"Size", size}, {"Colour", colour}}, xl ? 2100 : 1900, 25});
            p.stock += 25;
        }
    return p;
}

}  // namespace

DemoCatalog generate_demo_catalog(std::uint64_t seed, int product_count) {
    Rng rng(seed);
    DemoCatalog out;
    for (const auto& spec : kCategories) {
        out.categories.push_back({std::string(spec.key), std::string(spec.name),
                                  spec.parent.empty() ? std::nullopt : std::optional<std::string>(spec.parent)});
    }
    constexpr std::int64_t kHourMs = 3600 * 1000;
    for (int i = 0; i < product_count; ++i) {
        // The first pass over the categories gives each one product; the rest fall at random.
        const auto& spec = i < std::ssize(kCategories)
                               ? kCategories[static_cast<std::size_t>(i)]
                               : kCategories[static_cast<std::size_t>(rng.between(0, std::ssize(kCategories) - 1))];
        DemoProduct p = spec.kind == Kind::Book ? book(rng, spec) : goods(rng, spec);
        p.sku = fmt::format("DEMO-{}-{:05}", spec.key, i + 1);
        p.price = price_cents(rng, spec);
        p.stock = stock_level(rng);
        p.category_key = std::string(spec.key);
        const std::string image_base = "https://images.example.com/demo/" + lower(p.sku);
        p.images = {image_base + "-1.jpg", image_base + "-2.jpg"};
        // Roughly three hours apart, oldest first, so the list's newest-first order is the
        // reverse of this one and the catalogue looks built up over months.
        p.age_ms = (product_count - i) * 3 * kHourMs + rng.between(0, 2 * kHourMs);
        if (spec.kind == Kind::Apparel) add_options(p, spec, seed ^ (0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(i + 1)));
        out.products.push_back(std::move(p));
    }
    out.products.push_back(demo_tee());
    return out;
}

}  // namespace shop::product
