# GraphQL schema tests (lib/schema): one executable per part and area.
