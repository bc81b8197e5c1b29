# Check tests of lib/hub (topics): one executable per area.
