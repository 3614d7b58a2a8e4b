#!/usr/bin/env python3
"""annocheck.py: check what `fzreport annotate` made of a report.

    annocheck.py ORIG ANNOTATED.docx CHECK.json REJECTED.docx
    annocheck.py --list FILE     one "ORIG<TAB>ANNOTATED<TAB>CHECK<TAB>REJECTED" a line

ORIG is the report (.docx or .txt), CHECK.json the output of
`fzreport check -f json ORIG`.  Prints problems and exits 1 when:

  - a zip entry of ORIG other than the main part, the comments part, their
    relationships and [Content_Types].xml differs in ANNOTATED (.docx only);
  - the comments by fzreport are not one per positioned finding plus one
    for the whole-document findings, or a finding's marked text is not what
    its comment is anchored on (the drawn number of a list paragraph is not
    in the XML: the anchor is then the rest of the marked text);
  - a comment paragraph is missing its 【错误】/【警告】/【提示】 line.

REJECTED.docx is written: ANNOTATED with fzreport's revisions rejected and
its comment marks removed (for the caller to compare with ORIG through the
loader).  Prints "N comments, M fixes" on success.
"""
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
PR = 'http://schemas.openxmlformats.org/package/2006/relationships'
w = lambda n: '{%s}%s' % (W, n)
FZ = 'fzreport'
ET.register_namespace('w', W)


def main_part(z):
    rels = ET.fromstring(z.read('_rels/.rels'))
    for r in rels:
        if r.get('Type', '').endswith('/officeDocument'):
            return r.get('Target').lstrip('/')
    return 'word/document.xml'


def comments_part(z, main):
    d = main.rsplit('/', 1)[0] + '/'
    relname = d + '_rels/' + main.rsplit('/', 1)[1] + '.rels'
    try:
        rels = ET.fromstring(z.read(relname))
    except KeyError:
        return None, relname
    for r in rels:
        if r.get('Type', '').endswith('/comments'):
            t = r.get('Target')
            return (t.lstrip('/') if t.startswith('/') else d + t), relname
    return None, relname


def anchored(body, fz_ids):
    """Text under each comment range, fzreport's revisions rejected."""
    out = {}
    open_ = set()

    def walk(e, in_fz_ins, in_other_del):
        tag = e.tag
        if tag == w('commentRangeStart'):
            i = e.get(w('id'))
            if i in fz_ids:
                open_.add(i)
                out.setdefault(i, '')
            return
        if tag == w('commentRangeEnd'):
            open_.discard(e.get(w('id')))
            return
        if tag == w('ins'):
            in_fz_ins = in_fz_ins or e.get(w('author')) == FZ
        if tag == w('del') and e.get(w('author')) != FZ:
            in_other_del = True
        if tag in (w('t'), w('delText')) and not in_fz_ins and not in_other_del:
            if tag == w('t') or True:
                for i in open_:
                    out[i] += e.text or ''
        elif tag == w('tab') and not in_fz_ins and not in_other_del:
            for i in open_:
                out[i] += '\t'
        for c in e:
            walk(c, in_fz_ins, in_other_del)

    walk(body, False, False)
    return out


def reject(xml):
    """document.xml with fzreport's revisions rejected and comment marks removed."""
    root = ET.fromstring(xml)
    parents = {c: p for p in root.iter() for c in p}
    for e in list(root.iter()):
        p = parents.get(e)
        if p is None:
            continue
        if e.tag == w('ins') and e.get(w('author')) == FZ:
            p.remove(e)
        elif e.tag == w('del') and e.get(w('author')) == FZ:
            i = list(p).index(e)
            p.remove(e)
            for k, c in enumerate(list(e)):
                for t in c.iter(w('delText')):
                    t.tag = w('t')
                p.insert(i + k, c)
                parents[c] = p
    return root


def main():
    if sys.argv[1] == '--list':
        rc = 0
        for line in open(sys.argv[2], encoding='utf-8'):
            if line.strip():
                rc |= one(*line.rstrip('\n').split('\t'))
        return rc
    return one(*sys.argv[1:5])


def one(orig, ann, check, rejected):
    res = json.loads(open(check, encoding='utf-8').read().splitlines()[0])
    z = zipfile.ZipFile(ann)
    main = main_part(z)
    cpart, relname = comments_part(z, main)
    bad = []
    if orig.endswith('.docx'):
        zo = zipfile.ZipFile(orig)
        skip = {main, relname, '[Content_Types].xml', cpart}
        names = set(z.namelist())
        for i in zo.infolist():
            if i.filename in skip:
                continue
            if i.filename not in names:
                bad.append('entry %s missing' % i.filename)
            elif zo.read(i.filename) != z.read(i.filename):
                bad.append('entry %s changed' % i.filename)
    fz_ids = set()
    texts = {}
    if cpart is not None:
        cx = ET.fromstring(z.read(cpart))
        for c in cx.iter(w('comment')):
            if c.get(w('author')) == FZ:
                fz_ids.add(c.get(w('id')))
                texts[c.get(w('id'))] = [''.join(t.text or '' for t in p.iter(w('t')))
                                         for p in c.iter(w('p'))]
                if c.get(w('initials')) != 'FZ' or not c.get(w('date')):
                    bad.append('comment %s: initials or date missing' % c.get(w('id')))
    if orig.endswith('.docx'):
        ocpart, _ = comments_part(zo, main_part(zo))
        if ocpart is not None:
            old = {c.get(w('id')): ET.tostring(c) for c in
                   ET.fromstring(zo.read(ocpart)).iter(w('comment'))}
            new = {c.get(w('id')): ET.tostring(c) for c in cx.iter(w('comment'))} \
                if cpart is not None else {}
            for i, x in old.items():
                if new.get(i) != x:
                    bad.append('the document\'s own comment %s was lost or changed' % i)
            if fz_ids and min(int(i) for i in fz_ids) <= max([int(i) for i in old] + [-1]):
                bad.append('new comment ids are not above the existing ones')
    for i, t in texts.items():
        if not t or not re.match('【(错误|警告|提示)】', t[0]):
            bad.append('comment %s does not start with a severity: %r' % (i, t[:1]))
    doc = ET.fromstring(z.read(main))
    got = anchored(doc, fz_ids)
    pos, whole = [], 0
    for f in res.get('findings', []):
        if f['severity'] == 'fatal':
            continue
        if (f.get('line') or 0) > 0:
            pos.append(f)
        else:
            whole += 1
    want_n = len(pos) + (1 if whole else 0)
    if len(fz_ids) != want_n:
        bad.append('%d comments, want %d (%d positioned findings, %d whole-document)'
                   % (len(fz_ids), want_n, len(pos), whole))
    pool = list(got.values())
    paras = set(''.join(t.text or '' for t in p.iter(w('t')) if t.text)
                for p in doc.iter(w('p')))
    for f in pos:
        ex, mark = f.get('excerpt'), f.get('mark')
        if not ex or not mark or mark[1] <= 0:
            continue
        b = ex.encode('utf-8')
        text = b[mark[0]:mark[0] + mark[1]].decode('utf-8', 'replace')
        flat = re.sub(r'\s', '', text)
        hit = None
        # exact; the marked text less a drawn number; a mark across lines;
        # a mark inside a wider fix; a mark in the drawn number (the paragraph)
        for test in (lambda g: g == text,
                     lambda g: g and text.endswith(g),
                     lambda g: g and re.sub(r'\s', '', g) == flat,
                     lambda g: g and text in g,
                     lambda g: g and g in paras and text not in g):
            for k, g in enumerate(pool):
                if test(g):
                    hit = k
                    break
            if hit is not None:
                break
        if hit is None:
            bad.append('%s %s:%s: no comment anchored on %r' % (f['rule'], f['line'],
                                                                  f['column'], text))
        else:
            pool.pop(hit)
    nfix = sum(1 for e in doc.iter(w('ins')) if e.get(w('author')) == FZ)
    nfixdel = sum(1 for e in doc.iter(w('del')) if e.get(w('author')) == FZ)
    if nfix != nfixdel:
        bad.append('%d insertions but %d deletions' % (nfix, nfixdel))
    root = reject(z.read(main))
    with zipfile.ZipFile(rejected, 'w', zipfile.ZIP_DEFLATED) as zr:
        for i in z.infolist():
            data = z.read(i.filename)
            if i.filename == main:
                data = ET.tostring(root, encoding='utf-8', xml_declaration=True)
            zr.writestr(i, data)
    for m in bad:
        print('annocheck: %s: %s' % (orig, m))
    if bad:
        return 1
    print('%d comments, %d fixes' % (len(fz_ids), nfix))
    return 0


if __name__ == '__main__':
    sys.exit(main())
