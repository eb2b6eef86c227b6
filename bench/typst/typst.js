// typst.js TYP OUT.pdf - compile a Typst file to PDF with Typst 0.14.2 (the
// npm package typst-ts-node-compiler 0.7.0 bundles it), the fonts from
// Debian's DejaVu folder (the generated issue is set in DejaVu Serif).
const { NodeCompiler } = require('@myriaddreamin/typst-ts-node-compiler');
const fs = require('fs');
const [typ, out] = process.argv.slice(2);
const compiler = NodeCompiler.create({ fontArgs: [{ fontPaths: ['/usr/share/fonts/truetype/dejavu'] }] });
fs.writeFileSync(out, compiler.pdf({ mainFileContent: fs.readFileSync(typ, 'utf8') }));
