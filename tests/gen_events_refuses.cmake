# ctest: the typed-events generator refuses a catalog field it has no C++ type for, naming the event
# and the field, instead of writing a header that drops it:
#   cmake -DGEN=... -DCATALOG=... -DOUT_DIR=... -P gen_events_refuses.cmake
file(READ ${CATALOG} text)
string(REPLACE "\"type\": \"boolean\"" "\"type\": \"object\"" text "${text}")
file(MAKE_DIRECTORY ${OUT_DIR})
file(WRITE ${OUT_DIR}/catalog.json "${text}")
execute_process(COMMAND ${GEN} ${OUT_DIR}/catalog.json ${OUT_DIR}/events.hpp ${OUT_DIR}/events.cpp
                RESULT_VARIABLE status ERROR_VARIABLE error)
if(status EQUAL 0)
  message(FATAL_ERROR "the generator accepted an object field")
endif()
if(NOT error MATCHES "event ChannelMapped, field normalized: object fields have no C\\+\\+ type")
  message(FATAL_ERROR "unexpected message: ${error}")
endif()
