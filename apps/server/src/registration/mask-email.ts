/**
 * An address shown to someone who is not its owner: enough to recognise a colleague's address,
 * not enough to write to it. `marie.hoffmann@contoso.example` → `m•••n@c•••.example`.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  const maskPart = (part: string) =>
    part.length <= 2 ? `${part[0] ?? ''}•••` : `${part[0]}•••${part.at(-1)}`;
  return `${maskPart(local)}@${host[0] ?? ''}•••${tld}`;
}
