// pdfad.cc - preflight of a supplied ad (pdfad.h): its boxes, the fonts it
// does not embed, the effective resolution of each image as drawn (the CTM
// followed through q/Q/cm and form XObjects) and any RGB colour. C++ only
// because qpdf's content-stream parser (ParserCallbacks) is; the placement
// itself is C, in pdfboxes.c. Every exception stops at the C boundary.
#include "pdfad.h"
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <set>
#include <string>
#include <vector>

namespace {

struct Mat {
    double a = 1, b = 0, c = 0, d = 1, e = 0, f = 0;
    // this, then m (PDF: m' = this x m)
    Mat then(const Mat &m) const
    {
        Mat r;
        r.a = a * m.a + b * m.c;
        r.b = a * m.b + b * m.d;
        r.c = c * m.a + d * m.c;
        r.d = c * m.b + d * m.d;
        r.e = e * m.a + f * m.c + m.e;
        r.f = e * m.b + f * m.d + m.f;
        return r;
    }
};

Mat mat_of(QPDFObjectHandle arr)
{
    Mat m;
    if (arr.isArray() && arr.getArrayNItems() == 6) {
        double v[6];
        for (int i = 0; i < 6; i++) {
            QPDFObjectHandle x = arr.getArrayItem(i);
            if (!x.isNumber())
                return Mat();
            v[i] = x.getNumericValue();
        }
        m.a = v[0], m.b = v[1], m.c = v[2], m.d = v[3], m.e = v[4], m.f = v[5];
    }
    return m;
}

void copy_name(char *dst, size_t n, const std::string &s)
{
    std::snprintf(dst, n, "%s", s.c_str());
}

struct Inspector {
    pr_ad_info *out;
    std::set<QPDFObjGen> seen_res; // resource dictionaries walked for fonts
    std::set<QPDFObjGen> seen_fonts;
    int depth = 0;

    bool is_rgb_cs(QPDFObjectHandle cs, QPDFObjectHandle resources, int lvl = 0)
    {
        if (lvl > 8)
            return false;
        if (cs.isName()) {
            std::string n = cs.getName();
            if (n == "/DeviceRGB" || n == "/RGB" || n == "/CalRGB")
                return true;
            if (n == "/DeviceCMYK" || n == "/DeviceGray" || n == "/Pattern" || n == "/CMYK" || n == "/G")
                return false;
            // a named space from the resources
            if (resources.isDictionary()) {
                QPDFObjectHandle d = resources.getKey("/ColorSpace");
                if (d.isDictionary() && d.hasKey(n))
                    return is_rgb_cs(d.getKey(n), QPDFObjectHandle::newNull(), lvl + 1);
            }
            return false;
        }
        if (cs.isArray() && cs.getArrayNItems() >= 1) {
            QPDFObjectHandle fam = cs.getArrayItem(0);
            std::string f = fam.isName() ? fam.getName() : "";
            if (f == "/CalRGB")
                return true;
            if (f == "/ICCBased" && cs.getArrayNItems() >= 2) {
                QPDFObjectHandle s = cs.getArrayItem(1);
                QPDFObjectHandle n = s.isStream() ? s.getDict().getKey("/N") : QPDFObjectHandle::newNull();
                return n.isInteger() && n.getIntValue() == 3;
            }
            if ((f == "/Indexed" || f == "/I") && cs.getArrayNItems() >= 2)
                return is_rgb_cs(cs.getArrayItem(1), resources, lvl + 1);
        }
        return false;
    }

    void font(QPDFObjectHandle f)
    {
        if (!f.isDictionary())
            return;
        if (f.isIndirect()) {
            if (seen_fonts.count(f.getObjGen()))
                return;
            seen_fonts.insert(f.getObjGen());
        }
        QPDFObjectHandle sub = f.getKey("/Subtype");
        std::string st = sub.isName() ? sub.getName() : "";
        if (st == "/Type3") {
            walk_resources(f.getKey("/Resources"));
            return;
        }
        QPDFObjectHandle desc = f;
        if (st == "/Type0") {
            QPDFObjectHandle df = f.getKey("/DescendantFonts");
            if (df.isArray() && df.getArrayNItems() > 0)
                desc = df.getArrayItem(0);
        }
        QPDFObjectHandle fd = desc.isDictionary() ? desc.getKey("/FontDescriptor") : QPDFObjectHandle::newNull();
        bool embedded = fd.isDictionary() &&
                        (fd.getKey("/FontFile").isStream() || fd.getKey("/FontFile2").isStream() ||
                         fd.getKey("/FontFile3").isStream());
        if (!embedded) {
            QPDFObjectHandle bf = f.getKey("/BaseFont");
            std::string name = bf.isName() ? bf.getName().substr(1) : "(unnamed)";
            for (int i = 0; i < std::min(out->nunembedded, PR_AD_MAX_LIST); i++)
                if (name == out->unembedded[i])
                    return;
            if (out->nunembedded < PR_AD_MAX_LIST)
                copy_name(out->unembedded[out->nunembedded], sizeof out->unembedded[0], name);
            out->nunembedded++;
        }
    }

    // Fonts in a resource dictionary and everything it reaches: forms,
    // tiling patterns, Type3 fonts. RGB shadings count as colour used.
    void walk_resources(QPDFObjectHandle res)
    {
        if (!res.isDictionary() || ++depth > 32) {
            depth -= res.isDictionary();
            return;
        }
        if (res.isIndirect()) {
            if (seen_res.count(res.getObjGen())) {
                depth--;
                return;
            }
            seen_res.insert(res.getObjGen());
        }
        QPDFObjectHandle fonts = res.getKey("/Font");
        if (fonts.isDictionary())
            for (auto &k : fonts.getKeys())
                font(fonts.getKey(k));
        QPDFObjectHandle xo = res.getKey("/XObject");
        if (xo.isDictionary())
            for (auto &k : xo.getKeys()) {
                QPDFObjectHandle x = xo.getKey(k);
                if (x.isStream() && x.isFormXObject())
                    walk_resources(x.getDict().getKey("/Resources"));
            }
        QPDFObjectHandle pat = res.getKey("/Pattern");
        if (pat.isDictionary())
            for (auto &k : pat.getKeys()) {
                QPDFObjectHandle p = pat.getKey(k);
                QPDFObjectHandle pd = p.isStream() ? p.getDict() : p;
                if (pd.isDictionary()) {
                    walk_resources(pd.getKey("/Resources"));
                    QPDFObjectHandle sh = pd.getKey("/Shading");
                    QPDFObjectHandle shd = sh.isStream() ? sh.getDict() : sh;
                    if (shd.isDictionary() && is_rgb_cs(shd.getKey("/ColorSpace"), res))
                        out->rgb = true;
                }
            }
        QPDFObjectHandle sh = res.getKey("/Shading");
        if (sh.isDictionary())
            for (auto &k : sh.getKeys()) {
                QPDFObjectHandle s = sh.getKey(k);
                QPDFObjectHandle sd = s.isStream() ? s.getDict() : s;
                if (sd.isDictionary() && is_rgb_cs(sd.getKey("/ColorSpace"), res))
                    out->rgb = true;
            }
        depth--;
    }

    void image(const std::string &name, int w, int h, bool rgb, const Mat &ctm)
    {
        // the unit square as placed: its sides' lengths in pt
        double sx = std::hypot(ctm.a, ctm.b), sy = std::hypot(ctm.c, ctm.d);
        double ppi = 0;
        if (sx > 0 && sy > 0)
            ppi = std::min(w / (sx / 72.0), h / (sy / 72.0));
        if (out->nimages < PR_AD_MAX_LIST) {
            pr_ad_image *im = &out->images[out->nimages];
            copy_name(im->name, sizeof im->name, name);
            im->px_w = w;
            im->px_h = h;
            im->ppi = ppi;
            im->rgb = rgb;
        }
        out->nimages++;
        if (ppi > 0 && (out->min_ppi == 0 || ppi < out->min_ppi))
            out->min_ppi = ppi;
        if (rgb)
            out->rgb = true;
    }
};

struct GState {
    Mat ctm;
    bool fill_rgb = false, stroke_rgb = false;
};

// One content stream (a page's, or a form's): the graphics state followed
// through q/Q/cm/cs/CS, every Do and inline image and RGB operator noted.
class Content: public QPDFObjectHandle::ParserCallbacks
{
  public:
    Content(Inspector &inspector, QPDFObjectHandle res, const GState &start, int level) :
        in(inspector), resources(res), depth(level)
    {
        stack.push_back(start);
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
    void handleEOF() override {}

  private:
    Inspector &in;
    QPDFObjectHandle resources;
    int depth;
    std::vector<GState> stack;
    std::vector<QPDFObjectHandle> operands;
    std::vector<QPDFObjectHandle> bi; // an inline image's dictionary, key value ...

    double num(size_t i)
    {
        return i < operands.size() && operands[i].isNumber() ? operands[i].getNumericValue() : 0;
    }

    void op(const std::string &o)
    {
        GState &g = stack.back();
        if (o == "q")
            stack.push_back(g);
        else if (o == "Q") {
            if (stack.size() > 1)
                stack.pop_back();
        } else if (o == "cm" && operands.size() == 6) {
            Mat m;
            m.a = num(0), m.b = num(1), m.c = num(2), m.d = num(3), m.e = num(4), m.f = num(5);
            g.ctm = m.then(g.ctm);
        } else if (o == "rg" || o == "RG")
            in.out->rgb = true;
        else if (o == "cs" && !operands.empty())
            g.fill_rgb = in.is_rgb_cs(operands[0], resources);
        else if (o == "CS" && !operands.empty())
            g.stroke_rgb = in.is_rgb_cs(operands[0], resources);
        else if (o == "sc" || o == "scn") {
            if (g.fill_rgb)
                in.out->rgb = true;
        } else if (o == "SC" || o == "SCN") {
            if (g.stroke_rgb)
                in.out->rgb = true;
        } else if (o == "sh" && !operands.empty() && operands[0].isName()) {
            QPDFObjectHandle sh = resources.isDictionary() ? resources.getKey("/Shading") : resources;
            QPDFObjectHandle s = sh.isDictionary() ? sh.getKey(operands[0].getName()) : sh;
            QPDFObjectHandle sd = s.isStream() ? s.getDict() : s;
            if (sd.isDictionary() && in.is_rgb_cs(sd.getKey("/ColorSpace"), resources))
                in.out->rgb = true;
        } else if (o == "Do" && !operands.empty() && operands[0].isName())
            xobject(operands[0].getName(), g);
        else if (o == "ID") {
            bi = operands;
        } else if (o == "EI") {
            int w = 0, h = 0;
            bool rgb = false;
            for (size_t i = 0; i + 1 < bi.size(); i += 2) {
                if (!bi[i].isName())
                    continue;
                std::string k = bi[i].getName();
                if ((k == "/W" || k == "/Width") && bi[i + 1].isInteger())
                    w = bi[i + 1].getIntValueAsInt();
                else if ((k == "/H" || k == "/Height") && bi[i + 1].isInteger())
                    h = bi[i + 1].getIntValueAsInt();
                else if (k == "/CS" || k == "/ColorSpace")
                    rgb = in.is_rgb_cs(bi[i + 1], resources);
            }
            in.image("(inline)", w, h, rgb, g.ctm);
            bi.clear();
        }
    }

    void xobject(const std::string &name, const GState &g)
    {
        QPDFObjectHandle xo = resources.isDictionary() ? resources.getKey("/XObject") : resources;
        QPDFObjectHandle x = xo.isDictionary() ? xo.getKey(name) : xo;
        if (!x.isStream())
            return;
        QPDFObjectHandle d = x.getDict();
        if (x.isImage(false)) {
            QPDFObjectHandle w = d.getKey("/Width"), h = d.getKey("/Height");
            bool mask = d.getKey("/ImageMask").isBool() && d.getKey("/ImageMask").getBoolValue();
            in.image(name, w.isInteger() ? w.getIntValueAsInt() : 0, h.isInteger() ? h.getIntValueAsInt() : 0,
                     !mask && in.is_rgb_cs(d.getKey("/ColorSpace"), resources), g.ctm);
        } else if (x.isFormXObject() && depth < 16) {
            GState inner = g;
            inner.ctm = mat_of(d.getKey("/Matrix")).then(g.ctm);
            QPDFObjectHandle res = d.getKey("/Resources");
            Content c(in, res.isDictionary() ? res : resources, inner, depth + 1);
            x.parseAsContents(&c);
        }
    }
};

bool rect(QPDFObjectHandle page, const char *key, double r[4])
{
    QPDFObjectHandle b = page.getKey(key);
    if (!b.isRectangle())
        return false;
    QPDFObjectHandle::Rectangle x = b.getArrayAsRectangle();
    r[0] = std::min(x.llx, x.urx), r[1] = std::min(x.lly, x.ury);
    r[2] = std::max(x.llx, x.urx), r[3] = std::max(x.lly, x.ury);
    return true;
}

bool box(QPDFObjectHandle page, const char *key, double *w, double *h)
{
    QPDFObjectHandle b = page.getKey(key);
    if (!b.isRectangle())
        return false;
    QPDFObjectHandle::Rectangle r = b.getArrayAsRectangle();
    *w = std::fabs(r.urx - r.llx);
    *h = std::fabs(r.ury - r.lly);
    return true;
}

} // namespace

extern "C" bool pr_pdfad_inspect(const char *file, int src_page, struct pr_ad_info *out, char *err, size_t errlen)
{
    std::memset(out, 0, sizeof *out);
    try {
        QPDF pdf;
        pdf.setSuppressWarnings(true);
        pdf.processFile(file);
        if (pdf.isEncrypted()) {
            std::snprintf(err, errlen, "'%s' is encrypted", file);
            return false;
        }
        pdf.pushInheritedAttributesToPage();
        std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(pdf).getAllPages();
        out->npages = (int)pages.size();
        if (src_page < 1 || src_page > out->npages) {
            std::snprintf(err, errlen, "'%s' has no page %d (it has %d)", file, src_page, out->npages);
            return false;
        }
        QPDFObjectHandle page = pages[(size_t)src_page - 1].getObjectHandle();
        out->has_trimbox = box(page, "/TrimBox", &out->trim_w, &out->trim_h);
        out->has_bleedbox = box(page, "/BleedBox", &out->bleed_w, &out->bleed_h);
        double cw = 0, ch = 0;
        if (!box(page, "/CropBox", &cw, &ch) && !box(page, "/MediaBox", &cw, &ch))
            cw = 612, ch = 792;
        if (!out->has_trimbox)
            out->trim_w = cw, out->trim_h = ch;
        if (!out->has_bleedbox)
            out->bleed_w = cw, out->bleed_h = ch;
        QPDFObjectHandle rot = page.getKey("/Rotate");
        out->rotate = rot.isInteger() ? rot.getIntValueAsInt() : 0;
        Inspector in;
        in.out = out;
        QPDFObjectHandle res = page.getKey("/Resources");
        in.walk_resources(res);
        Content c(in, res, GState(), 0);
        pages[(size_t)src_page - 1].parseContents(&c);
        return true;
    } catch (std::exception &e) {
        std::snprintf(err, errlen, "'%s': %s", file, e.what());
        return false;
    } catch (...) {
        std::snprintf(err, errlen, "'%s': unknown error", file);
        return false;
    }
}

extern "C" bool pr_pdfad_boxes(const char *file, int src_page, double trim[4], double crop[4], char *err,
                               size_t errlen)
{
    try {
        QPDF pdf;
        pdf.setSuppressWarnings(true);
        pdf.processFile(file);
        pdf.pushInheritedAttributesToPage();
        std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(pdf).getAllPages();
        if (src_page < 1 || src_page > (int)pages.size()) {
            std::snprintf(err, errlen, "'%s' has no page %d (it has %d)", file, src_page, (int)pages.size());
            return false;
        }
        QPDFObjectHandle page = pages[(size_t)src_page - 1].getObjectHandle();
        if (!rect(page, "/CropBox", crop) && !rect(page, "/MediaBox", crop)) {
            crop[0] = crop[1] = 0;
            crop[2] = 612;
            crop[3] = 792;
        }
        if (!rect(page, "/TrimBox", trim))
            std::memcpy(trim, crop, 4 * sizeof *trim);
        return true;
    } catch (std::exception &e) {
        std::snprintf(err, errlen, "'%s': %s", file, e.what());
        return false;
    } catch (...) {
        std::snprintf(err, errlen, "'%s': unknown error", file);
        return false;
    }
}
