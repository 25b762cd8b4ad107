/**
 * A small well-formedness check for the SVG the report writes (Node has no XML parser): every
 * tag closes in order, attributes are quoted, and text holds no bare `<` or `&`. Returns the
 * problems found (empty when well formed) and the element names seen.
 */
export function checkXml(text: string): { problems: string[]; elements: string[] } {
  const problems: string[] = [];
  const elements: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let position = 0;
  for (let match = tag.exec(text); match !== null; match = tag.exec(text)) {
    checkText(text.slice(position, match.index), problems);
    position = match.index + match[0].length;
    const [, closing, name, , selfClosing] = match;
    if (closing === '/') {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else {
      elements.push(name!);
      if (selfClosing !== '/') stack.push(name!);
    }
  }
  checkText(text.slice(position), problems);
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  return { problems, elements };
}

function checkText(between: string, problems: string[]): void {
  if (between.includes('<'))
    problems.push(`stray '<' or malformed tag near ${JSON.stringify(between.slice(0, 40))}`);
  const bareAmpersand = /&(?!(?:amp|lt|gt|quot|apos|#\d+);)/;
  if (bareAmpersand.test(between))
    problems.push(`bare '&' near ${JSON.stringify(between.slice(0, 40))}`);
}
