-- long.lua — a function long enough that Lua keeps absolute line numbers
-- (abslineinfo) in its debug information: over 128 instructions, and a
-- step of over 128 lines (the comment below); and with over 256
-- constants, so that the names after them are loaded by LOADK, not named
-- by GETTABUP.  lint must still report each line marked "found"
-- (tests/cli/lint-globals).  Made by a script; the statements only add up.
function long_score(r)
  local s = 0
  s = s + r.members * 1
  s = s + r.members * 2
  s = s + r.members * 3
  s = s + r.members * 4
  s = s + r.members * 5
  s = s + r.members * 6
  s = s + r.members * 7
  s = s + r.members * 8
  s = s + r.members * 9
  s = s + r.members * 10
  s = s + r.members * 11
  s = s + r.members * 12
  s = s + r.members * 13
  s = s + r.members * 14
  s = s + r.members * 15
  s = s + r.members * 16
  s = s + r.members * 17
  s = s + r.members * 18
  s = s + r.members * 19
  s = s + r.members * 20
  s = s + r.members * 21
  s = s + r.members * 22
  s = s + r.members * 23
  s = s + r.members * 24
  s = s + r.members * 25
  s = s + r.members * 26
  s = s + r.members * 27
  s = s + r.members * 28
  s = s + r.members * 29
  s = s + r.members * 30
  s = s + r.members * 31
  s = s + r.members * 32
  s = s + r.members * 33
  s = s + r.members * 34
  s = s + r.members * 35
  s = s + r.members * 36
  s = s + r.members * 37
  s = s + r.members * 38
  s = s + r.members * 39
  s = s + r.members * 40
  s = s + r.members * 41
  s = s + r.members * 42
  s = s + r.members * 43
  s = s + r.members * 44
  s = s + r.members * 45
  s = s + r.members * 46
  s = s + r.members * 47
  s = s + r.members * 48
  s = s + r.members * 49
  s = s + r.members * 50
  s = s + r.members * 51
  s = s + r.members * 52
  s = s + r.members * 53
  s = s + r.members * 54
  s = s + r.members * 55
  s = s + r.members * 56
  s = s + r.members * 57
  s = s + r.members * 58
  s = s + r.members * 59
  s = s + r.members * 60
  if s < 0 then return os.clock() end                   -- found
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  s = s - r.members
  --[[
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  lines of comment: the next statement is more than 128 lines below the last.
  ]]
  if s < 1 then return undefined_before_256 end         -- found
  s = s + r.members * 1001
  s = s + r.members * 1002
  s = s + r.members * 1003
  s = s + r.members * 1004
  s = s + r.members * 1005
  s = s + r.members * 1006
  s = s + r.members * 1007
  s = s + r.members * 1008
  s = s + r.members * 1009
  s = s + r.members * 1010
  s = s + r.members * 1011
  s = s + r.members * 1012
  s = s + r.members * 1013
  s = s + r.members * 1014
  s = s + r.members * 1015
  s = s + r.members * 1016
  s = s + r.members * 1017
  s = s + r.members * 1018
  s = s + r.members * 1019
  s = s + r.members * 1020
  s = s + r.members * 1021
  s = s + r.members * 1022
  s = s + r.members * 1023
  s = s + r.members * 1024
  s = s + r.members * 1025
  s = s + r.members * 1026
  s = s + r.members * 1027
  s = s + r.members * 1028
  s = s + r.members * 1029
  s = s + r.members * 1030
  s = s + r.members * 1031
  s = s + r.members * 1032
  s = s + r.members * 1033
  s = s + r.members * 1034
  s = s + r.members * 1035
  s = s + r.members * 1036
  s = s + r.members * 1037
  s = s + r.members * 1038
  s = s + r.members * 1039
  s = s + r.members * 1040
  s = s + r.members * 1041
  s = s + r.members * 1042
  s = s + r.members * 1043
  s = s + r.members * 1044
  s = s + r.members * 1045
  s = s + r.members * 1046
  s = s + r.members * 1047
  s = s + r.members * 1048
  s = s + r.members * 1049
  s = s + r.members * 1050
  s = s + r.members * 1051
  s = s + r.members * 1052
  s = s + r.members * 1053
  s = s + r.members * 1054
  s = s + r.members * 1055
  s = s + r.members * 1056
  s = s + r.members * 1057
  s = s + r.members * 1058
  s = s + r.members * 1059
  s = s + r.members * 1060
  s = s + r.members * 1061
  s = s + r.members * 1062
  s = s + r.members * 1063
  s = s + r.members * 1064
  s = s + r.members * 1065
  s = s + r.members * 1066
  s = s + r.members * 1067
  s = s + r.members * 1068
  s = s + r.members * 1069
  s = s + r.members * 1070
  s = s + r.members * 1071
  s = s + r.members * 1072
  s = s + r.members * 1073
  s = s + r.members * 1074
  s = s + r.members * 1075
  s = s + r.members * 1076
  s = s + r.members * 1077
  s = s + r.members * 1078
  s = s + r.members * 1079
  s = s + r.members * 1080
  s = s + r.members * 1081
  s = s + r.members * 1082
  s = s + r.members * 1083
  s = s + r.members * 1084
  s = s + r.members * 1085
  s = s + r.members * 1086
  s = s + r.members * 1087
  s = s + r.members * 1088
  s = s + r.members * 1089
  s = s + r.members * 1090
  s = s + r.members * 1091
  s = s + r.members * 1092
  s = s + r.members * 1093
  s = s + r.members * 1094
  s = s + r.members * 1095
  s = s + r.members * 1096
  s = s + r.members * 1097
  s = s + r.members * 1098
  s = s + r.members * 1099
  s = s + r.members * 1100
  s = s + r.members * 1101
  s = s + r.members * 1102
  s = s + r.members * 1103
  s = s + r.members * 1104
  s = s + r.members * 1105
  s = s + r.members * 1106
  s = s + r.members * 1107
  s = s + r.members * 1108
  s = s + r.members * 1109
  s = s + r.members * 1110
  s = s + r.members * 1111
  s = s + r.members * 1112
  s = s + r.members * 1113
  s = s + r.members * 1114
  s = s + r.members * 1115
  s = s + r.members * 1116
  s = s + r.members * 1117
  s = s + r.members * 1118
  s = s + r.members * 1119
  s = s + r.members * 1120
  s = s + r.members * 1121
  s = s + r.members * 1122
  s = s + r.members * 1123
  s = s + r.members * 1124
  s = s + r.members * 1125
  s = s + r.members * 1126
  s = s + r.members * 1127
  s = s + r.members * 1128
  s = s + r.members * 1129
  s = s + r.members * 1130
  s = s + r.members * 1131
  s = s + r.members * 1132
  s = s + r.members * 1133
  s = s + r.members * 1134
  s = s + r.members * 1135
  s = s + r.members * 1136
  s = s + r.members * 1137
  s = s + r.members * 1138
  s = s + r.members * 1139
  s = s + r.members * 1140
  s = s + r.members * 1141
  s = s + r.members * 1142
  s = s + r.members * 1143
  s = s + r.members * 1144
  s = s + r.members * 1145
  s = s + r.members * 1146
  s = s + r.members * 1147
  s = s + r.members * 1148
  s = s + r.members * 1149
  s = s + r.members * 1150
  s = s + r.members * 1151
  s = s + r.members * 1152
  s = s + r.members * 1153
  s = s + r.members * 1154
  s = s + r.members * 1155
  s = s + r.members * 1156
  s = s + r.members * 1157
  s = s + r.members * 1158
  s = s + r.members * 1159
  s = s + r.members * 1160
  s = s + r.members * 1161
  s = s + r.members * 1162
  s = s + r.members * 1163
  s = s + r.members * 1164
  s = s + r.members * 1165
  s = s + r.members * 1166
  s = s + r.members * 1167
  s = s + r.members * 1168
  s = s + r.members * 1169
  s = s + r.members * 1170
  s = s + r.members * 1171
  s = s + r.members * 1172
  s = s + r.members * 1173
  s = s + r.members * 1174
  s = s + r.members * 1175
  s = s + r.members * 1176
  s = s + r.members * 1177
  s = s + r.members * 1178
  s = s + r.members * 1179
  s = s + r.members * 1180
  s = s + r.members * 1181
  s = s + r.members * 1182
  s = s + r.members * 1183
  s = s + r.members * 1184
  s = s + r.members * 1185
  s = s + r.members * 1186
  s = s + r.members * 1187
  s = s + r.members * 1188
  s = s + r.members * 1189
  s = s + r.members * 1190
  s = s + r.members * 1191
  s = s + r.members * 1192
  s = s + r.members * 1193
  s = s + r.members * 1194
  s = s + r.members * 1195
  s = s + r.members * 1196
  s = s + r.members * 1197
  s = s + r.members * 1198
  s = s + r.members * 1199
  s = s + r.members * 1200
  s = s + r.members * 1201
  s = s + r.members * 1202
  s = s + r.members * 1203
  s = s + r.members * 1204
  s = s + r.members * 1205
  s = s + r.members * 1206
  s = s + r.members * 1207
  s = s + r.members * 1208
  s = s + r.members * 1209
  s = s + r.members * 1210
  s = s + r.members * 1211
  s = s + r.members * 1212
  s = s + r.members * 1213
  s = s + r.members * 1214
  s = s + r.members * 1215
  s = s + r.members * 1216
  s = s + r.members * 1217
  s = s + r.members * 1218
  s = s + r.members * 1219
  s = s + r.members * 1220
  if s < 2 then return undefined_after_256 end          -- found
  if s < 3 then return string.revers(tostring(s)) end   -- found
  if s < 4 then long_total = s end                      -- found
  return s
end
