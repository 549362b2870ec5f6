export function WipesAdminScreen() {
  return <section data-testid="wipes-admin">todo</section>;
}
