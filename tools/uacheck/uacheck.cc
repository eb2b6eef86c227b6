// uacheck.cc - pr_uacheck, a test tool: reads a PDF with qpdf and checks the
// machine-checkable items of the Matterhorn Protocol (PDF/UA-1): every
// painting operator tagged or an Artifact, the structure tree against the
// content (MCIDs, ParentTree), role mapping, Alt, Lang, headings, list/table
// /TOC nesting, metadata and MarkInfo, annotations, the widths of embedded
// TrueType CID fonts against their font programs. Called by tests/ua/test_uacheck.sh
// (and by hand); not installed. One line per failure, then a summary.
//
// Failure ids are Matterhorn Protocol 1.02 failure conditions ("13-004");
// a check that Matterhorn does not number carries the clause of the standard
// it comes from ("ISO32000-14.7.4.4" for the ParentTree, "ISO14289-7.1").
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFNumberTreeObjectHelper.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace {

const char *const USAGE = "usage: pr_uacheck [--quiet] [--dump] FILE.pdf...\n";
const char *const PARENT_TREE = "ISO32000-14.7.4.4"; // finding structure elements from content
const char *const STRUCTURE = "ISO32000-14.7.2";     // the structure hierarchy
const int MAX_DEPTH = 64;                         // structure and form nesting

// PDF 1.7 (ISO 32000-1, 14.8.4) standard structure types
const std::set<std::string> STANDARD = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index",
    "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl",
    "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note",
    "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT", "RP", "Warichu", "WT",
    "WP", "Figure", "Formula", "Form"};

// Allowed children (by standard type) of the grouping elements whose syntax
// ISO 32000-1 fixes: Table 333 (TOC), 336 (lists), 337 (tables).
struct Nesting {
    const char *id;
    std::set<std::string> kids;
};
const std::map<std::string, Nesting> NESTING = {
    {"L", {"09-005", {"LI", "Caption"}}},
    {"LI", {"09-005", {"Lbl", "LBody"}}},
    {"Table", {"09-004", {"TR", "THead", "TBody", "TFoot", "Caption"}}},
    {"THead", {"09-004", {"TR"}}},
    {"TBody", {"09-004", {"TR"}}},
    {"TFoot", {"09-004", {"TR"}}},
    {"TR", {"09-004", {"TH", "TD"}}},
    {"TOC", {"09-006", {"TOC", "TOCI", "Caption"}}},
    {"TOCI", {"09-006", {"Lbl", "Reference", "NonStruct", "P", "TOC"}}},
};
// ... and the parents some of those children need
const std::map<std::string, Nesting> PARENTS = {
    {"LI", {"09-005", {"L"}}},
    {"LBody", {"09-005", {"LI"}}},
    {"TR", {"09-004", {"Table", "THead", "TBody", "TFoot"}}},
    {"TH", {"09-004", {"TR"}}},
    {"TD", {"09-004", {"TR"}}},
    {"TOCI", {"09-006", {"TOC"}}},
};

std::string trim(const std::string &s)
{
    size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// a text string's value, "" when it is absent or not a string
std::string text(QPDFObjectHandle o)
{
    return o.isString() ? trim(o.getUTF8Value()) : "";
}

// BCP 47 in shape only: subtags of 1-8 letters or digits joined by '-', the
// first 2-8 letters (a language) or the singletons i/x
bool lang_ok(const std::string &s)
{
    if (s.empty())
        return false;
    size_t start = 0;
    for (int n = 0;; n++) {
        size_t end = s.find('-', start);
        std::string sub = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (sub.empty() || sub.size() > 8)
            return false;
        for (char c : sub)
            if (!std::isalnum((unsigned char)c) || (n == 0 && !std::isalpha((unsigned char)c)))
                return false;
        if (n == 0 && sub.size() < 2 && sub != "i" && sub != "x" && sub != "I" && sub != "X")
            return false;
        if (end == std::string::npos)
            return true;
        start = end + 1;
    }
}

// the items of a /K: its array's, or the one object it is
std::vector<QPDFObjectHandle> kids_of(QPDFObjectHandle k)
{
    return k.isArray() ? k.getArrayAsVector() : std::vector<QPDFObjectHandle>{k};
}

// attribute key of owner /Table in an element's /A (a dictionary, or an
// array of them with revision numbers between); null when absent
QPDFObjectHandle table_attr(QPDFObjectHandle e, const char *key)
{
    for (auto &a : kids_of(e.getKey("/A"))) {
        QPDFObjectHandle d = a.isStream() ? a.getDict() : a;
        if (d.isDictionary() && d.getKey("/O").isName() && d.getKey("/O").getName() == "/Table" && d.hasKey(key))
            return d.getKey(key);
    }
    return QPDFObjectHandle::newNull();
}

int heading_level(const std::string &type)
{
    return type.size() == 2 && type[0] == 'H' && type[1] >= '1' && type[1] <= '6' ? type[1] - '0' : 0;
}

struct Failure {
    std::string id;
    int page; // 1-based, 0 when it applies to the whole document
    std::string what;
};

// the marking in force in a content stream: inside an Artifact sequence,
// inside a tagged one (with an MCID), at any depth of nesting
struct Mark {
    bool artifact;
    bool tagged;
};

class Checker;

// One content stream (a page's, its array of streams read as one, or a form
// XObject's): follows BMC/BDC/EMC, notes every MCID and every painting
// operator drawn outside both an Artifact and a tagged sequence.
class Content: public QPDFObjectHandle::ParserCallbacks
{
  public:
    // outer: the marking in force where a form XObject is painted (none for
    // a page); record: note MCIDs (false when this form was read before)
    Content(Checker &checker, QPDFObjGen container, QPDFObjectHandle resources, int page, int level, Mark outer,
            bool record) :
        ck(checker), owner(container), res(resources), pageno(page), depth(level), base(outer), record_mcids(record)
    {
    }
    using QPDFObjectHandle::ParserCallbacks::handleObject;
    void handleObject(QPDFObjectHandle obj) override
    {
        if (!obj.isOperator()) {
            operands.push_back(obj);
            return;
        }
        op(obj.getOperatorValue());
        operands.clear();
    }
    void handleEOF() override;

    int unmarked = 0;
    std::string first_unmarked;

  private:
    Checker &ck;
    QPDFObjGen owner;
    QPDFObjectHandle res;
    int pageno, depth;
    Mark base;
    bool record_mcids;
    std::vector<Mark> marks;
    std::vector<QPDFObjectHandle> operands;

    // the marking in force: each open sequence holds its own and its outer ones'
    Mark now() const
    {
        return marks.empty() ? base : marks.back();
    }
    QPDFObjectHandle resource(const char *kind, const std::string &name)
    {
        QPDFObjectHandle d = res.isDictionary() ? res.getKey(kind) : QPDFObjectHandle::newNull();
        return d.isDictionary() ? d.getKey(name) : QPDFObjectHandle::newNull();
    }
    void paint(const std::string &o)
    {
        if (now().artifact || now().tagged)
            return;
        if (unmarked++ == 0)
            first_unmarked = o;
    }
    void begin(bool with_props);
    void op(const std::string &o);
};

class Checker
{
  public:
    Checker(const std::string &name, QPDF &q) : file(name), pdf(q) {}
    void run(bool dump);
    std::vector<Failure> failures;
    size_t nelems = 0, nmcids = 0, npages = 0;

    void fail(const std::string &id, int page, const std::string &what)
    {
        failures.push_back({id, page, what});
    }
    // called by Content for each MCID it meets
    void content_mcid(QPDFObjGen owner, int mcid, int page)
    {
        if (!found[owner].insert(mcid).second)
            fail(PARENT_TREE, page, "MCID " + std::to_string(mcid) + " is used twice in one content stream");
        container_page.emplace(owner, page);
        nmcids++;
    }
    void walk_form(QPDFObjectHandle form, QPDFObjectHandle outer_res, int page, int level, Mark marking,
                   Content &outer);

  private:
    std::string file;
    QPDF &pdf;
    std::map<QPDFObjGen, int> page_of; // page object -> 1-based number
    QPDFObjectHandle rolemap;
    std::map<long long, QPDFObjectHandle> parent_tree;
    // (content stream owner: a page or a form XObject, MCID) -> the elements whose /K hold it
    std::map<std::pair<QPDFObjGen, int>, std::vector<QPDFObjGen>> referenced;
    std::map<QPDFObjGen, std::set<int>> found; // MCIDs met in each owner's content
    std::map<QPDFObjGen, int> container_page;
    std::map<QPDFObjGen, QPDFObjGen> objr; // annotation -> element whose /K holds its OBJR
    std::map<QPDFObjGen, std::string> elem_type; // element -> standard type ("" if none)
    std::set<QPDFObjGen> visited;
    std::set<QPDFObjGen> walking_forms, forms_read, reused_forms;
    int last_heading = 0; // the level of the numbered heading read last
    // the tables being read (they nest): cells naming their /Headers, TH
    // cells without /Scope
    struct Table {
        int page;
        bool headers;
        int no_scope;
    };
    std::vector<Table> tables;
    bool plain_h = false, numbered_h = false;

    void catalog();
    void metadata(QPDFObjectHandle root);
    std::string follow_roles(const std::string &type, std::string *stop, bool *circular);
    std::string standard_type(const std::string &type, int page);
    std::string kid_type(QPDFObjectHandle k);
    void structure(QPDFObjectHandle root, bool dump);
    void element(QPDFObjectHandle e, QPDFObjectHandle pg, const std::string &parent, int level, bool dump);
    void kid(QPDFObjectHandle k, QPDFObjectHandle e, QPDFObjectHandle pg, const std::string &type, int level,
             bool dump, int &h_kids);
    int page_number(QPDFObjectHandle pg)
    {
        auto it = page_of.find(pg.getObjGen());
        return pg.isDictionary() && it != page_of.end() ? it->second : 0;
    }
    // the page of an element without /Pg: the first /Pg among its kids
    int kids_page(QPDFObjectHandle k)
    {
        for (auto &c : kids_of(k))
            if (c.isDictionary() && page_number(c.getKey("/Pg")))
                return page_number(c.getKey("/Pg"));
        return 0;
    }
    void contents(QPDFPageObjectHelper &page, int n);
    void parent_entries(QPDFObjGen owner, QPDFObjectHandle dict, int page);
    void font_widths();
    void cid_font_widths(QPDFObjectHandle cidfont);
    void unreferenced_content();
    void annotations(QPDFObjectHandle page, int n);
};

void Content::begin(bool with_props)
{
    Mark outer = now(), m = outer;
    bool artifact = !operands.empty() && operands[0].isName() && operands[0].getName() == "/Artifact";
    if (with_props && operands.size() >= 2) {
        QPDFObjectHandle props = operands[1];
        if (props.isName())
            props = resource("/Properties", props.getName());
        QPDFObjectHandle mcid = props.isDictionary() ? props.getKey("/MCID") : QPDFObjectHandle::newNull();
        if (mcid.isInteger() && !artifact) {
            m.tagged = true;
            if (outer.artifact)
                ck.fail("01-004", pageno,
                        "tagged content (MCID " + std::to_string(mcid.getIntValueAsInt()) + ") inside an Artifact");
            if (record_mcids)
                ck.content_mcid(owner, mcid.getIntValueAsInt(), pageno);
        }
    }
    if (artifact && outer.tagged)
        ck.fail("01-003", pageno, "an Artifact inside tagged content");
    m.artifact = m.artifact || artifact;
    marks.push_back(m);
}

void Content::op(const std::string &o)
{
    static const std::set<std::string> painting = {"Tj", "TJ", "'", "\"", "S", "s", "f", "F",
                                                   "f*", "B", "B*", "b", "b*", "sh", "EI"};
    if (o == "BMC")
        begin(false);
    else if (o == "BDC")
        begin(true);
    else if (o == "EMC") {
        if (marks.empty())
            ck.fail("ISO32000-14.6", pageno, "EMC without a matching BMC/BDC");
        else
            marks.pop_back();
    } else if (painting.count(o))
        paint(o);
    else if (o == "Do" && !operands.empty() && operands[0].isName()) {
        QPDFObjectHandle x = resource("/XObject", operands[0].getName());
        if (x.isFormXObject())
            ck.walk_form(x, res, pageno, depth + 1, now(), *this);
        else
            paint("Do " + operands[0].getName());
    }
}

void Content::handleEOF()
{
    if (!marks.empty())
        ck.fail("ISO32000-14.6", pageno,
                std::to_string(marks.size()) + " marked-content sequence(s) not closed by EMC");
}

// A form XObject: its content is read with the marking in force where it
// is painted (inside a tagged or Artifact sequence it is marked as a whole);
// an MCID inside belongs to the form (its /StructParents), and is noted the
// first time the form is read only.
void Checker::walk_form(QPDFObjectHandle form, QPDFObjectHandle outer_res, int page, int level, Mark marking,
                        Content &outer)
{
    QPDFObjGen og = form.getObjGen();
    if (level > MAX_DEPTH || walking_forms.count(og))
        return;
    bool first = forms_read.insert(og).second;
    if (!first && found.count(og) && !reused_forms.count(og)) {
        reused_forms.insert(og);
        fail("30-002", page, "a form XObject with MCIDs is painted more than once");
    }
    walking_forms.insert(og);
    QPDFObjectHandle d = form.getDict();
    QPDFObjectHandle res = d.getKey("/Resources").isDictionary() ? d.getKey("/Resources") : outer_res;
    Content c(*this, og, res, page, level, marking, first);
    form.parseAsContents(&c);
    walking_forms.erase(og);
    if (c.unmarked) {
        if (outer.unmarked == 0)
            outer.first_unmarked = c.first_unmarked + " in a form XObject";
        outer.unmarked += c.unmarked;
    }
    if (first && found.count(og))
        parent_entries(og, d, page);
}

void Checker::catalog()
{
    QPDFObjectHandle root = pdf.getRoot();
    QPDFObjectHandle lang = root.getKey("/Lang");
    if (!lang.isString() || text(lang).empty())
        fail("11-001", 0, "the catalog has no /Lang, or an empty one");
    else if (!lang_ok(text(lang)))
        fail("11-001", 0, "the catalog's /Lang '" + text(lang) + "' is not a BCP 47 language tag");
    QPDFObjectHandle vp = root.getKey("/ViewerPreferences");
    QPDFObjectHandle ddt = vp.isDictionary() ? vp.getKey("/DisplayDocTitle") : QPDFObjectHandle::newNull();
    if (!ddt.isBool())
        fail("07-001", 0, "/ViewerPreferences has no /DisplayDocTitle");
    else if (!ddt.getBoolValue())
        fail("07-002", 0, "/ViewerPreferences /DisplayDocTitle is false");
    QPDFObjectHandle mi = root.getKey("/MarkInfo");
    QPDFObjectHandle marked = mi.isDictionary() ? mi.getKey("/Marked") : QPDFObjectHandle::newNull();
    if (!marked.isBool() || !marked.getBoolValue())
        fail("ISO14289-7.1", 0, "/MarkInfo /Marked is not true");
    QPDFObjectHandle suspects = mi.isDictionary() ? mi.getKey("/Suspects") : QPDFObjectHandle::newNull();
    if (suspects.isBool() && suspects.getBoolValue())
        fail("01-007", 0, "/MarkInfo /Suspects is true");
    metadata(root);
}

// The XMP packet: pdfuaid:part (element or attribute) is 1, dc:title holds text.
void Checker::metadata(QPDFObjectHandle root)
{
    QPDFObjectHandle m = root.getKey("/Metadata");
    if (!m.isStream()) {
        fail("06-001", 0, "the catalog has no XMP /Metadata stream");
        return;
    }
    std::shared_ptr<Buffer> b = m.getStreamData(qpdf_dl_generalized);
    std::string xmp(reinterpret_cast<const char *>(b->getBuffer()), b->getSize());
    std::string part;
    size_t at = xmp.find("pdfuaid:part");
    while (at != std::string::npos && part.empty()) {
        size_t v = at + std::strlen("pdfuaid:part");
        while (v < xmp.size() && (xmp[v] == ' ' || xmp[v] == '=' || xmp[v] == '"' || xmp[v] == '\'' || xmp[v] == '>'))
            v++;
        size_t e = v;
        while (e < xmp.size() && std::isdigit((unsigned char)xmp[e]))
            e++;
        part = xmp.substr(v, e - v);
        at = xmp.find("pdfuaid:part", at + 1);
    }
    if (part.empty())
        fail("06-002", 0, "the XMP metadata has no pdfuaid:part");
    else if (part != "1")
        fail("06-002", 0, "the XMP metadata says pdfuaid:part " + part + ", not 1");
    size_t t = xmp.find("<dc:title"), te = xmp.find("</dc:title>");
    std::string title;
    if (t != std::string::npos && te != std::string::npos && te > t) {
        std::string inner = xmp.substr(t, te - t);
        bool tag = false;
        for (char c : inner) {
            if (c == '<')
                tag = true;
            else if (c == '>')
                tag = false;
            else if (!tag)
                title += c;
        }
    }
    if (trim(title).empty())
        fail("06-003", 0, "the XMP metadata has no dc:title, or an empty one");
}

// The standard type a structure type stands for, following /RoleMap
// transitively; "" when it leads nowhere standard (*stop: the last type
// reached, *circular: whether it came back on itself).
std::string Checker::follow_roles(const std::string &type, std::string *stop, bool *circular)
{
    std::string t = type;
    std::set<std::string> seen;
    *circular = false;
    while (!STANDARD.count(t)) {
        QPDFObjectHandle to = rolemap.isDictionary() ? rolemap.getKey("/" + t) : QPDFObjectHandle::newNull();
        *stop = t;
        if (!seen.insert(t).second) {
            *circular = true;
            return "";
        }
        if (!to.isName())
            return "";
        t = to.getName().substr(1);
    }
    return t;
}

// follow_roles, with a failure when the type maps to nothing standard
std::string Checker::standard_type(const std::string &type, int page)
{
    std::string stop;
    bool circular;
    std::string t = follow_roles(type, &stop, &circular);
    if (!t.empty())
        return t;
    if (circular)
        fail("02-002", page, "the role mapping of /" + type + " is circular");
    else if (stop == type)
        fail("02-001", page, "structure type /" + type + " is neither standard nor role-mapped");
    else
        fail("02-001", page, "structure type /" + type + " is role-mapped to /" + stop + ", which is not standard");
    return "";
}

// the standard type of a kid element, without reporting (its own visit does)
std::string Checker::kid_type(QPDFObjectHandle k)
{
    std::string stop;
    bool circular;
    if (!k.isDictionary() || !k.getKey("/S").isName())
        return "";
    return follow_roles(k.getKey("/S").getName().substr(1), &stop, &circular);
}

void Checker::structure(QPDFObjectHandle str, bool dump)
{
    rolemap = str.getKey("/RoleMap");
    if (rolemap.isDictionary())
        for (auto item : rolemap.ditems())
            if (STANDARD.count(item.first.substr(1)) && item.second.isName() &&
                item.second.getName() != item.first)
                fail("02-003", 0, "the standard type " + item.first + " is role-mapped to " + item.second.getName());
    QPDFObjectHandle pt = str.getKey("/ParentTree");
    if (!pt.isDictionary())
        fail(PARENT_TREE, 0, "the structure tree root has no /ParentTree");
    else {
        for (auto &e : QPDFNumberTreeObjectHelper(pt, pdf).getAsMap())
            parent_tree[e.first] = e.second;
        // optional (ISO 32000-1 Table 323), but when present above every key
        QPDFObjectHandle next = str.getKey("/ParentTreeNextKey");
        long long last = parent_tree.empty() ? -1 : parent_tree.rbegin()->first;
        if (!next.isNull() && (!next.isInteger() || next.getIntValue() <= last))
            fail(PARENT_TREE, 0, "/ParentTreeNextKey is not above the last ParentTree key " + std::to_string(last));
    }
    if (dump)
        std::printf("StructTreeRoot\n");
    int h_kids = 0;
    kid(str.getKey("/K"), str, QPDFObjectHandle::newNull(), "", 0, dump, h_kids);
    if (plain_h && numbered_h)
        fail("14-007", 0, "the structure tree uses both /H and numbered headings /H1-/H6");
}

// One item of an element's /K (an array is each of its items): an MCID, a
// marked-content reference, an object reference or a child element.
void Checker::kid(QPDFObjectHandle k, QPDFObjectHandle e, QPDFObjectHandle pg, const std::string &type, int level,
                  bool dump, int &h_kids)
{
    if (k.isArray()) {
        for (auto item : k.aitems())
            if (!item.isArray()) // an array in /K is malformed (and may hold itself)
                kid(item, e, pg, type, level, dump, h_kids);
        return;
    }
    if (k.isInteger()) {
        if (!pg.isDictionary())
            fail(PARENT_TREE, 0, "MCID " + std::to_string(k.getIntValue()) + " of a /" + type + " has no /Pg");
        else
            referenced[{pg.getObjGen(), k.getIntValueAsInt()}].push_back(e.getObjGen());
        return;
    }
    if (!k.isDictionary())
        return;
    QPDFObjectHandle t = k.getKey("/Type");
    QPDFObjectHandle own = k.getKey("/Pg");
    if (!own.isNull() && !page_number(own))
        fail(STRUCTURE, page_number(pg), "a /Pg in the structure tree is not a page of the document");
    QPDFObjectHandle kpg = page_number(own) ? own : pg;
    if (t.isName() && t.getName() == "/MCR") {
        QPDFObjectHandle stm = k.getKey("/Stm"), id = k.getKey("/MCID");
        QPDFObjectHandle owner = stm.isStream() ? stm : kpg;
        if (!owner.isDictionary() && !owner.isStream())
            fail(PARENT_TREE, 0, "a marked-content reference of a /" + type + " has no /Pg");
        else if (id.isInteger())
            referenced[{owner.getObjGen(), id.getIntValueAsInt()}].push_back(e.getObjGen());
    } else if (t.isName() && t.getName() == "/OBJR") {
        QPDFObjectHandle obj = k.getKey("/Obj");
        if (obj.isIndirect())
            objr[obj.getObjGen()] = e.getObjGen();
    } else {
        if (kid_type(k) == "H")
            h_kids++;
        QPDFObjectHandle up = k.getKey("/P");
        if (e.isIndirect() && k.isIndirect() && (!up.isIndirect() || up.getObjGen() != e.getObjGen()))
            fail(STRUCTURE, page_number(kpg), "the /P of a /" + k.getKey("/S").getName().substr(1) + " is not the " +
                                                  (type.empty() ? "structure tree root" : "/" + type) +
                                                  " whose /K holds it");
        element(k, kpg, type, level + 1, dump);
    }
}

// A structure element: its type, Alt, Lang, heading order and nesting, then
// its kids in order (the tree's pre-order is the reading order).
void Checker::element(QPDFObjectHandle e, QPDFObjectHandle pg, const std::string &parent, int level, bool dump)
{
    if (level > MAX_DEPTH || (e.isIndirect() && !visited.insert(e.getObjGen()).second))
        return;
    nelems++;
    QPDFObjectHandle s = e.getKey("/S");
    int page = page_number(pg);
    if (!page)
        page = kids_page(e.getKey("/K"));
    std::string raw = s.isName() ? s.getName().substr(1) : "";
    if (raw.empty())
        fail(STRUCTURE, page, "a structure element has no /S");
    std::string type = raw.empty() ? "" : standard_type(raw, page);
    elem_type[e.getObjGen()] = type;
    std::string name = "/" + raw + (type.empty() || type == raw ? "" : " (" + type + ")");
    std::string alt = text(e.getKey("/Alt")), actual = text(e.getKey("/ActualText"));
    if (type == "Figure" && alt.empty() && actual.empty())
        fail("13-004", page, "a " + name + " has no /Alt");
    if (type == "Formula" && alt.empty() && actual.empty())
        fail("17-002", page, "a " + name + " has no /Alt");
    QPDFObjectHandle lang = e.getKey("/Lang");
    if (lang.isString() && !lang_ok(text(lang)))
        fail("11-001", page, "a " + name + " has /Lang '" + text(lang) + "', not a BCP 47 language tag");
    int h = heading_level(type);
    if (type == "H")
        plain_h = true;
    // veraPDF's hasCorrectNestingLevel: each numbered heading at most one
    // level deeper than the one before it in reading order; any shallower
    if (h) {
        numbered_h = true;
        if (last_heading == 0 && h > 1)
            fail("14-002", page, "the first heading is /H" + std::to_string(h) + ", not /H1");
        else if (h > last_heading + 1)
            fail("14-003", page, "/H" + std::to_string(h) + " follows /H" + std::to_string(last_heading) +
                                     ": a heading level is skipped");
        last_heading = h;
    }
    auto pr = PARENTS.find(type);
    if (pr != PARENTS.end() && !pr->second.kids.count(parent))
        fail(pr->second.id, page, "a /" + type + " inside " + (parent.empty() ? "the root" : "a /" + parent));
    auto ns = NESTING.find(type);
    QPDFObjectHandle k = e.getKey("/K");
    if (ns != NESTING.end()) {
        for (auto &c : kids_of(k)) {
            std::string ct = kid_type(c);
            if (!ct.empty() && !ns->second.kids.count(ct))
                fail(ns->second.id, page, "a /" + type + " holds a /" + ct);
        }
    }
    if (dump) {
        std::printf("%*s%s", level * 2, "", name.c_str());
        if (lang.isString())
            std::printf(" Lang=%s", text(lang).c_str());
        if (!alt.empty())
            std::printf(" Alt=\"%s\"", alt.c_str());
        if (page)
            std::printf(" page=%d", page);
        int mcids = 0;
        for (auto &c : kids_of(k))
            mcids += c.isInteger() || (c.isDictionary() && c.getKey("/Type").isName() &&
                                       c.getKey("/Type").getName() == "/MCR");
        if (mcids)
            std::printf(" MCIDs=%d", mcids);
        std::printf("\n");
    }
    // 15-003: a table whose cells do not name their /Headers needs a /Scope on each TH
    if (type == "Table")
        tables.push_back({page, false, 0});
    if ((type == "TH" || type == "TD") && !tables.empty()) {
        tables.back().headers |= !table_attr(e, "/Headers").isNull();
        tables.back().no_scope += type == "TH" && !table_attr(e, "/Scope").isName();
    }
    int h_kids = 0;
    kid(k, e, pg, type.empty() ? raw : type, level, dump, h_kids);
    if (h_kids > 1)
        fail("14-006", page, "a " + name + " holds " + std::to_string(h_kids) + " /H elements");
    if (type == "Table") {
        Table t = tables.back();
        tables.pop_back();
        if (!t.headers && t.no_scope)
            fail("15-003", t.page,
                 std::to_string(t.no_scope) + " /TH without a /Scope in a table whose cells have no /Headers");
    }
}

// The ParentTree entry of a content stream owner (page or form, via its
// /StructParents) maps each MCID found in it to the element that holds it.
void Checker::parent_entries(QPDFObjGen owner, QPDFObjectHandle dict, int page)
{
    QPDFObjectHandle sp = dict.getKey("/StructParents");
    std::string where = page_of.count(owner) ? "the page" : "a form XObject";
    if (!sp.isInteger()) {
        fail(PARENT_TREE, page, where + " has marked content but no /StructParents");
        return;
    }
    auto entry = parent_tree.find(sp.getIntValue());
    if (entry == parent_tree.end() || !entry->second.isArray()) {
        fail(PARENT_TREE, page, "the ParentTree has no array for /StructParents " + std::to_string(sp.getIntValue()));
        return;
    }
    QPDFObjectHandle arr = entry->second;
    for (int mcid : found[owner]) {
        QPDFObjectHandle p = mcid < arr.getArrayNItems() ? arr.getArrayItem(mcid) : QPDFObjectHandle::newNull();
        auto ref = referenced.find({owner, mcid});
        if (!p.isDictionary())
            fail(PARENT_TREE, page, "MCID " + std::to_string(mcid) + " is not in the ParentTree");
        else if (ref != referenced.end() &&
                 std::find(ref->second.begin(), ref->second.end(), p.getObjGen()) == ref->second.end())
            fail(PARENT_TREE, page, "the ParentTree maps MCID " + std::to_string(mcid) +
                                        " to an element that does not hold it");
    }
}

void Checker::contents(QPDFPageObjectHelper &page, int n)
{
    QPDFObjectHandle p = page.getObjectHandle();
    Content c(*this, p.getObjGen(), page.getAttribute("/Resources", false), n, 0, Mark{false, false}, true);
    page.parseContents(&c);
    if (c.unmarked)
        fail("01-005", n, std::to_string(c.unmarked) + " painting operator(s) neither Artifact nor tagged (first: " +
                              c.first_unmarked + ")");
    if (found.count(p.getObjGen()))
        parent_entries(p.getObjGen(), p, n);
}

// Both directions between tree and content: an MCID in the content that no
// element holds is untagged content; one the tree holds must exist.
void Checker::unreferenced_content()
{
    for (auto &f : found)
        for (int mcid : f.second)
            if (!referenced.count({f.first, mcid}))
                fail("01-005", container_page[f.first],
                     "content with MCID " + std::to_string(mcid) + " belongs to no structure element");
    for (auto &r : referenced) {
        auto f = found.find(r.first.first);
        if (f == found.end() || !f->second.count(r.first.second)) {
            auto pg = page_of.find(r.first.first);
            fail(PARENT_TREE, pg != page_of.end() ? pg->second : container_page[r.first.first],
                 "the structure tree holds MCID " + std::to_string(r.first.second) +
                     ", which the content does not have");
        }
    }
}

void Checker::annotations(QPDFObjectHandle page, int n)
{
    QPDFObjectHandle annots = page.getKey("/Annots");
    if (!annots.isArray() || annots.getArrayNItems() == 0)
        return;
    QPDFObjectHandle tabs = page.getKey("/Tabs");
    if (!tabs.isName())
        fail("28-008", n, "the page has annotations but no /Tabs");
    else if (tabs.getName() != "/S")
        fail("28-009", n, "the page has annotations and /Tabs " + tabs.getName() + ", not /S");
    for (auto a : annots.aitems()) {
        if (!a.isDictionary())
            continue;
        std::string sub = a.getKey("/Subtype").isName() ? a.getKey("/Subtype").getName() : "";
        QPDFObjectHandle f = a.getKey("/F");
        bool hidden = f.isInteger() && (f.getIntValue() & 2);
        if (sub == "/PrinterMark" && objr.count(a.getObjGen()))
            fail("28-017", n, "a /PrinterMark annotation is in the structure tree");
        if (sub == "/Popup" || sub == "/PrinterMark" || hidden)
            continue;
        bool link = sub == "/Link";
        std::string id = link ? "28-011" : sub == "/Widget" ? "28-010" : "28-002";
        std::string want = link ? "Link" : sub == "/Widget" ? "Form" : "Annot";
        if (link && text(a.getKey("/Contents")).empty())
            fail("28-012", n, "a /Link annotation has no /Contents");
        QPDFObjectHandle sp = a.getKey("/StructParent");
        if (!sp.isInteger()) {
            fail(id, n, "a " + sub + " annotation has no /StructParent");
            continue;
        }
        auto entry = parent_tree.find(sp.getIntValue());
        QPDFObjectHandle parent = entry == parent_tree.end() ? QPDFObjectHandle::newNull() : entry->second;
        if (!parent.isDictionary()) {
            fail(id, n, "the ParentTree has no element for the " + sub + " annotation's /StructParent " +
                            std::to_string(sp.getIntValue()));
            continue;
        }
        if (!link && sub != "/Widget" && text(a.getKey("/Contents")).empty() && text(parent.getKey("/Alt")).empty())
            fail("28-004", n, "a " + sub + " annotation has no /Contents and its element no /Alt");
        auto o = objr.find(a.getObjGen());
        if (!a.isIndirect() || o == objr.end() || o->second != parent.getObjGen())
            fail(id, n, "the ParentTree element for a " + sub + " annotation has no OBJR pointing at it");
        else if (elem_type[parent.getObjGen()] != want)
            fail(id, n, "a " + sub + " annotation belongs to a /" + elem_type[parent.getObjGen()] + ", not a /" + want);
    }
}

// ---------- glyph widths (Matterhorn 31-016, ISO 14289-1 7.21.5) ----------
//
// A CIDFontType2 with an embedded TrueType program (FontFile2): every CID
// the font's /W gives a width must have that width in the program, the
// hmtx advance of the glyph it maps to (CIDToGIDMap: Identity or a stream)
// x 1000 / head.unitsPerEm, within 1 unit, as veraPDF's rule 7.21.5-1
// allows (|widthFromFontProgram - widthFromDictionary| <= 1). A CID whose
// glyph is not in the program is another checkpoint's (31-012 family), not
// this one's. Every CID with a /W entry is checked, used or not: cairo
// writes /W for exactly the glyphs of its subset, so that is every glyph
// the content shows but those at /DW.

struct Sfnt {
    std::string data;
    std::map<std::string, std::pair<size_t, size_t>> tables; // tag -> offset, length
    unsigned upem = 0, nmetrics = 0, nglyphs = 0;
    size_t hmtx = 0;
    unsigned u16(size_t at) const
    {
        return at + 2 <= data.size() ? (unsigned char)data[at] << 8 | (unsigned char)data[at + 1] : 0;
    }
    bool read()
    {
        if (data.size() < 12)
            return false;
        unsigned n = u16(4);
        for (unsigned i = 0; i < n; i++) {
            size_t r = 12 + 16 * (size_t)i;
            if (r + 16 > data.size())
                return false;
            size_t off = u16(r + 8) << 16 | u16(r + 10), len = u16(r + 12) << 16 | u16(r + 14);
            if (off + len > data.size())
                return false;
            tables[data.substr(r, 4)] = {off, len};
        }
        if (!tables.count("head") || !tables.count("hhea") || !tables.count("hmtx") || !tables.count("maxp"))
            return false;
        upem = u16(tables["head"].first + 18);
        nmetrics = u16(tables["hhea"].first + 34);
        nglyphs = u16(tables["maxp"].first + 4);
        hmtx = tables["hmtx"].first;
        return upem > 0 && nmetrics > 0 && 4 * (size_t)nmetrics <= tables["hmtx"].second;
    }
    unsigned advance(unsigned gid) const
    {
        return u16(hmtx + 4 * (size_t)std::min(gid, nmetrics - 1));
    }
};

void Checker::cid_font_widths(QPDFObjectHandle f)
{
    QPDFObjectHandle fd = f.getKey("/FontDescriptor");
    QPDFObjectHandle ff = fd.isDictionary() ? fd.getKey("/FontFile2") : QPDFObjectHandle::newNull();
    if (!ff.isStream())
        return;
    std::string name = f.getKey("/BaseFont").isName() ? f.getKey("/BaseFont").getName() : "(a CID font)";
    Sfnt s;
    std::shared_ptr<Buffer> b = ff.getStreamData(qpdf_dl_all);
    s.data.assign((const char *)b->getBuffer(), b->getSize());
    if (!s.read()) {
        fail("31-016", 0, "the TrueType program of " + name + " cannot be read for its widths");
        return;
    }
    std::vector<unsigned> gidmap; // empty: Identity
    QPDFObjectHandle map = f.getKey("/CIDToGIDMap");
    if (map.isStream()) {
        std::shared_ptr<Buffer> m = map.getStreamData(qpdf_dl_all);
        const unsigned char *p = m->getBuffer();
        for (size_t i = 0; i + 1 < m->getSize(); i += 2)
            gidmap.push_back(p[i] << 8 | p[i + 1]);
    }
    std::map<int, double> widths;
    QPDFObjectHandle w = f.getKey("/W");
    int n = w.isArray() ? w.getArrayNItems() : 0;
    for (int i = 0; i + 1 < n;) {
        QPDFObjectHandle a = w.getArrayItem(i), c = w.getArrayItem(i + 1);
        if (!a.isInteger())
            break;
        long long first = a.getIntValue();
        if (c.isArray()) {
            for (int k = 0; k < c.getArrayNItems() && first + k <= 65535; k++)
                if (c.getArrayItem(k).isNumber())
                    widths[(int)(first + k)] = c.getArrayItem(k).getNumericValue();
            i += 2;
        } else if (i + 2 < n && c.isInteger() && w.getArrayItem(i + 2).isNumber()) {
            for (long long k = first; k <= c.getIntValue() && k <= 65535; k++)
                widths[(int)k] = w.getArrayItem(i + 2).getNumericValue();
            i += 3;
        } else
            break;
    }
    int bad = 0;
    std::string first_bad;
    for (auto &cw : widths) {
        unsigned gid = gidmap.empty() ? (unsigned)cw.first
                       : (size_t)cw.first < gidmap.size() ? gidmap[(size_t)cw.first] : 0;
        if (gid >= s.nglyphs)
            continue;
        double program = s.advance(gid) * 1000.0 / s.upem;
        if (std::fabs(program - cw.second) <= 1)
            continue;
        if (bad++ == 0) {
            char buf[160];
            std::snprintf(buf, sizeof buf, "CID %d (glyph %u): /W %g, the font program %g", cw.first, gid, cw.second,
                          program);
            first_bad = buf;
        }
    }
    if (bad)
        fail("31-016", 0, std::to_string(bad) + " glyph width(s) of " + name +
                              " in /W differ from its embedded font program by more than 1 unit (first: " +
                              first_bad + ")");
}

void Checker::font_widths()
{
    for (QPDFObjectHandle o : pdf.getAllObjects())
        if (o.isDictionary() && o.getKey("/Subtype").isNameAndEquals("/CIDFontType2"))
            cid_font_widths(o);
}

void Checker::run(bool dump)
{
    std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(pdf).getAllPages();
    npages = pages.size();
    for (size_t i = 0; i < pages.size(); i++)
        page_of[pages[i].getObjectHandle().getObjGen()] = (int)i + 1;
    catalog();
    QPDFObjectHandle str = pdf.getRoot().getKey("/StructTreeRoot");
    if (!str.isDictionary())
        fail("ISO14289-7.1", 0, "the catalog has no /StructTreeRoot: the document is not tagged");
    else {
        try {
            structure(str, dump);
        } catch (std::exception &e) {
            fail("ISO32000-14.7", 0, std::string("the structure tree cannot be read: ") + e.what());
        }
    }
    for (size_t i = 0; i < pages.size(); i++) {
        int n = (int)i + 1;
        try {
            contents(pages[i], n);
        } catch (std::exception &e) {
            fail("ISO32000-7.8", n, std::string("the content stream cannot be read: ") + e.what());
        }
        annotations(pages[i].getObjectHandle(), n);
    }
    unreferenced_content();
    font_widths();
}

// One line per failure, "FILE: ID page N: what"; the same failure on the
// same page (26 links without /Contents) is one line with a count.
void print_failures(const std::string &file, const std::vector<Failure> &failures)
{
    std::vector<std::pair<const Failure *, int>> lines;
    std::map<std::string, size_t> index;
    for (const Failure &x : failures) {
        std::string key = x.id + '\n' + std::to_string(x.page) + '\n' + x.what;
        auto it = index.find(key);
        if (it != index.end())
            lines[it->second].second++;
        else {
            index[key] = lines.size();
            lines.push_back({&x, 1});
        }
    }
    for (auto &l : lines) {
        const Failure &x = *l.first;
        std::string page = x.page ? " page " + std::to_string(x.page) : "";
        std::string times = l.second > 1 ? " (" + std::to_string(l.second) + " times)" : "";
        std::printf("%s: %s%s: %s%s\n", file.c_str(), x.id.c_str(), page.c_str(), x.what.c_str(), times.c_str());
    }
}

} // namespace

int main(int argc, char **argv)
{
    bool quiet = false, dump = false;
    std::vector<std::string> files;
    for (int i = 1; i < argc; i++) {
        if (!std::strcmp(argv[i], "--quiet"))
            quiet = true;
        else if (!std::strcmp(argv[i], "--dump"))
            dump = true;
        else if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
            std::fputs(USAGE, stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            std::fprintf(stderr, "pr_uacheck: unknown option '%s'\n%s", argv[i], USAGE);
            return 2;
        } else
            files.push_back(argv[i]);
    }
    if (files.empty()) {
        std::fputs(USAGE, stderr);
        return 2;
    }
    int failed = 0, unreadable = 0;
    for (const std::string &f : files) {
        try {
            QPDF pdf;
            pdf.setSuppressWarnings(true);
            pdf.processFile(f.c_str());
            Checker ck(f, pdf);
            ck.run(dump);
            print_failures(f, ck.failures);
            if (!ck.failures.empty())
                failed++;
            else if (!quiet)
                std::printf("%s: ok (%zu pages, %zu structure elements, %zu MCIDs)\n", f.c_str(), ck.npages,
                            ck.nelems, ck.nmcids);
        } catch (QPDFExc &e) {
            std::fprintf(stderr, "pr_uacheck: %s: cannot read it as a PDF: %s\n", f.c_str(),
                         e.getMessageDetail().c_str());
            unreadable++;
        } catch (std::exception &e) {
            std::fprintf(stderr, "pr_uacheck: %s: cannot read it as a PDF: %s\n", f.c_str(), e.what());
            unreadable++;
        }
    }
    if (!quiet)
        std::printf("pr_uacheck: %zu file(s): %zu passed, %d failed, %d unreadable\n", files.size(),
                    files.size() - (size_t)failed - (size_t)unreadable, failed, unreadable);
    return unreadable ? 2 : failed ? 1 : 0;
}
