"""Wraps comment lines longer than 120 characters (// and JSDoc/block ' * ' lines) at word boundaries."""
import re, sys, textwrap
W = 120
for path in sys.argv[1:]:
    out = []
    for line in open(path).read().split('\n'):
        if len(line) <= W:
            out.append(line); continue
        m = re.match(r'^(\s*)(// |\* |/\*\* )(.*)$', line)
        if not m:
            out.append(line); continue
        indent, mark, text = m.groups()
        if mark == '/** ' and text.endswith('*/'):
            body = text[:-2].rstrip()
            lines = textwrap.wrap(body, W - len(indent) - 3, break_long_words=False, break_on_hyphens=False)
            out.append(f'{indent}/**')
            out += [f'{indent} * {l}' for l in lines]
            out.append(f'{indent} */')
            continue
        cont = '// ' if mark == '// ' else '* '
        lines = textwrap.wrap(text, W - len(indent) - len(mark), break_long_words=False, break_on_hyphens=False)
        out.append(f'{indent}{mark}{lines[0]}')
        out += [f'{indent}{cont}{l}' for l in lines[1:]]
    open(path, 'w').write('\n'.join(out))
