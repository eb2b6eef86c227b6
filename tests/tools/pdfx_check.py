"""pdfx_check.py QPDF_JSON PDF - the PDF/X-4 parts of a print PDF: the
document information's GTS_PDFXVersion and Trapped, a CMYK output intent,
the XMP with the same version and dates, no DeviceRGB left in any object,
no annotations. Prints what is wrong; exit 1 if anything is. Used by
tests/print and tests/images."""
import json, re, sys, subprocess
j = json.load(open(sys.argv[1]))
objs = j["qpdf"][1]
def get(ref):
    v = objs["obj:" + ref]
    return v.get("value", v)
tr = objs["trailer"]["value"]
info = get(tr["/Info"])
root = get(tr["/Root"])
bad = []
if info.get("/GTS_PDFXVersion") not in ("u:PDF/X-4", "PDF/X-4"):
    bad.append("Info GTS_PDFXVersion %r" % info.get("/GTS_PDFXVersion"))
if info.get("/Trapped") != "/False":
    bad.append("Info Trapped %r" % info.get("/Trapped"))
ois = root.get("/OutputIntents") or []
if not ois:
    bad.append("no OutputIntents")
else:
    oi = ois[0] if isinstance(ois[0], dict) else get(ois[0])
    if oi.get("/S") != "/GTS_PDFX":
        bad.append("OutputIntent /S %r" % oi.get("/S"))
    prof = objs["obj:" + oi["/DestOutputProfile"]]
    if prof["stream"]["dict"].get("/N") != 4:
        bad.append("output profile is not CMYK")
    if not oi.get("/OutputConditionIdentifier"):
        bad.append("no OutputConditionIdentifier")
# XMP carries the same version and dates
xmp = subprocess.run(["qpdf", "--show-object=" + root["/Metadata"].split()[0], "--filtered-stream-data", sys.argv[2]],
                     capture_output=True, text=True).stdout
if "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" not in xmp:
    bad.append("XMP lacks GTS_PDFXVersion")
m = re.search(r"<xmp:CreateDate>(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z", xmp)
cd = info.get("/CreationDate", "")
if not m or "".join(m.groups()) not in cd:
    bad.append("XMP CreateDate %s does not match Info %s" % (m and m.group(0), cd))
# no uncalibrated RGB left in any object dictionary
for k, v in objs.items():
    s = json.dumps(v.get("stream", {}).get("dict", v) if isinstance(v, dict) else v)
    if '"/DeviceRGB"' in s:
        bad.append("DeviceRGB in %s" % k)
        break
# no annotations inside the bleed: the print PDF has none at all
for k, v in objs.items():
    if isinstance(v, dict) and isinstance(v.get("value"), dict) and v["value"].get("/Type") == "/Page" and "/Annots" in v["value"]:
        bad.append("annotations on a page")
        break
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
